import assert from "node:assert/strict";
import { scaffoldSidecar } from "./scaffold.ts";

Deno.test("scaffoldSidecar() writes a sidecar whose own tests and conformance check pass", async () => {
  const base = await Deno.makeTempDir({ prefix: "scaffold-" });
  try {
    const r = await scaffoldSidecar({ name: "wordy", dir: `${base}/wordy`, port: 9005 });
    assert.deepEqual(r.files, ["Dockerfile", "README.md", "deno.json", "main.ts", "main_test.ts"]);
    const denoJson = JSON.parse(await Deno.readTextFile(`${r.dir}/deno.json`));
    const kit = new URL("./mod.ts", import.meta.url).pathname;
    assert.equal(await Deno.realPath(`${r.dir}/${denoJson.imports["@tntc/sidecar-kit"]}`), kit);
    assert.deepEqual(denoJson.unstable, ["no-legacy-abort"]);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check=remote"],
      cwd: r.dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, log);
    assert.match(log, /5 passed \| 0 failed/);
    assert.doesNotMatch(log, /legacy behavior/);
    const dockerfile = await Deno.readTextFile(`${r.dir}/Dockerfile`);
    assert.match(dockerfile, /EXPOSE 9005/);
    // tini from the base image stays PID 1: the Dockerfile sets CMD only, never ENTRYPOINT.
    assert.match(dockerfile, /^CMD \["run", "--cached-only", /m);
    assert.doesNotMatch(dockerfile, /^ENTRYPOINT/m);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("scaffoldSidecar() rejects bad names and ports with the specification's messages", async () => {
  await assert.rejects(
    scaffoldSidecar({ name: "Bad Name", dir: "/nonexistent/x", port: 8080 }),
    (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.equal(
        e.message,
        `sidecar name "Bad Name" is invalid: must match [a-z][a-z0-9_-]*\nsidecar "Bad Name": port 8080 is reserved for the engine`,
      );
      return true;
    },
  );
  await assert.rejects(
    scaffoldSidecar({ name: "ok", dir: "/nonexistent/x", port: 80 }),
    /port 80 is out of range \(1024-65535\)/,
  );
});

Deno.test("scaffoldSidecar() refuses a non-empty directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/keep.txt`, "mine");
    await assert.rejects(scaffoldSidecar({ name: "x", dir }), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(`${dir}/keep.txt`), "mine");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
