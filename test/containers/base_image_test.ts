import assert from "node:assert/strict";
import { containerTest } from "./docker_gate.ts";
import { ensureBaseImage } from "./base_image.ts";
import { planBaseImage } from "./_base_image_plan.ts";
import { runDocker } from "./_docker_cli.ts";
import { which } from "./_rootfs.ts";

await containerTest(
  "ensureBaseImage() reuses the image it built instead of rebuilding",
  async () => {
    const first = await ensureBaseImage();
    const id = (await runDocker(["image", "inspect", "--format", "{{.Id}}", first])).stdout.trim();
    const started = performance.now();
    // Different options object: skips the in-process memo and takes the cache-check path.
    const second = await ensureBaseImage({ tools: ["ffmpeg", "ffprobe", "cmark-gfm"] });
    const elapsed = performance.now() - started;
    assert.equal(second, first);
    assert.equal(
      (await runDocker(["image", "inspect", "--format", "{{.Id}}", second])).stdout.trim(),
      id,
    );
    assert.ok(elapsed < 5_000, `the cache check took ${elapsed} ms`);
  },
);

Deno.test("ensureBaseImage() names every tool that is missing from PATH", async () => {
  const error = await ensureBaseImage({ tools: ["ffmpeg", "no-such-tool-a", "no-such-tool-b"] })
    .then(() => undefined, (error: Error) => error);
  assert.ok(error instanceof Error);
  assert.equal(
    error.message,
    "cannot build the base image: not on PATH: no-such-tool-a, no-such-tool-b " +
      "(on Debian: apt-get install -y no-such-tool-a no-such-tool-b)",
  );
});

Deno.test({
  name: "the base image plan ships the tools, their libraries and nobody, and hashes its inputs",
  ignore: which("ffmpeg") === undefined,
  async fn() {
    const plan = await planBaseImage({ tools: ["ffmpeg"] });
    const targets = plan.files.map((file) => file.target);
    assert.ok(targets.includes("/usr/bin/deno"));
    assert.ok(targets.includes("/usr/bin/ffmpeg"));
    assert.ok(targets.some((target) => /\/libavcodec\.so\.\d+$/.test(target)), targets.join("\n"));
    assert.match(plan.texts["/etc/passwd"] ?? "", /^nobody:x:65534:65534:/m);
    assert.equal((await planBaseImage({ tools: ["ffmpeg"] })).hash, plan.hash);
    assert.notEqual((await planBaseImage({ tools: [] })).hash, plan.hash);
  },
});
