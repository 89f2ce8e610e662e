/**
 * A sidecar made by `tntc sidecar init` builds with its own `deno task image` path (the kit's
 * image.ts) and serves as a pod container: gVisor, host network, read-only root, uid 65534,
 * /shared bind-mounted. Its example jobs wrap `wc` and `tr`, so the base carries them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { scaffoldSidecar } from "@tntc/sidecar-kit";
import { buildSidecarImage } from "@tntc/sidecar-kit/image";
import { containerTest, ensureBaseImage, freePort, startPodContainer } from "./mod.ts";

await containerTest(
  "a scaffolded sidecar builds with the kit's image builder and serves its jobs under gVisor",
  async (t) => {
    const base = await ensureBaseImage({ tools: ["wc", "tr"], repository: "tntc-local/base-wc" });
    const root = await Deno.makeTempDir({ prefix: "tntc-scaffold-image-" });
    try {
      await scaffoldSidecar({ name: "words", dir: `${root}/words`, port: 9123 });
      const image = await buildSidecarImage({
        dir: `${root}/words`,
        tag: "tntc-test/scaffold-sidecar:latest",
        base,
      });
      await Deno.mkdir(`${root}/shared`);
      await Deno.writeTextFile(`${root}/shared/a.txt`, "one two three\n");
      await Deno.chmod(`${root}/shared/a.txt`, 0o644);
      const port = freePort();
      await using pod = await startPodContainer({
        image,
        port,
        env: { PORT: String(port), HOST: "127.0.0.1" },
        sharedDir: `${root}/shared`,
      });

      await t.step("GET /health passes its self-check (wc runs in the image)", async () => {
        const response = await fetch(`${pod.url}/health`);
        const body = await response.json();
        assert.equal(response.status, 200, JSON.stringify(body));
        assert.equal(body.status, "ok");
      });

      await t.step("its JSON job reads /shared, its body job answers the body", async () => {
        const words = await fetch(`${pod.url}/wordcount`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "/shared/a.txt" }),
        });
        assert.equal(words.status, 200);
        assert.deepEqual((await words.json()).words, 3);
        const upper = await fetch(`${pod.url}/upper`, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "hello",
        });
        assert.equal(upper.status, 200);
        assert.equal(await upper.text(), "HELLO");
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
);
