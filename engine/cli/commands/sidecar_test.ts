import assert from "node:assert/strict";
import { tntc } from "../_test_io.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;

Deno.test("tntc sidecar init writes a sidecar whose own tests and conformance check pass", async () => {
  const base = await Deno.makeTempDir({ prefix: "tntc-sidecar-" });
  try {
    const dir = `${base}/pdf`;
    const init = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "sidecar", "init", "pdf", "--dir", dir, "--port", "9007"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(init.stdout) + new TextDecoder().decode(init.stderr);
    assert.equal(init.code, 0, said);
    assert.match(
      said,
      /created .*pdf\/ \(Dockerfile, README\.md, deno\.json, main\.ts, main_test\.ts\)/,
    );
    assert.match(await Deno.readTextFile(`${dir}/Dockerfile`), /EXPOSE 9007/);
    const test = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check=remote"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(test.stdout) + new TextDecoder().decode(test.stderr);
    assert.equal(test.code, 0, log);
    assert.match(log, /conformance check \.\.\. .*ok/);
    assert.match(log, /5 passed \| 0 failed/);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("tntc sidecar rejects a missing sub-command, bad names and ports with usage errors", async () => {
  const none = await tntc("sidecar");
  assert.equal(none.code, 2);
  assert.match(none.err, /^tntc sidecar: expected a sub-command: init\n\nUsage: tntc sidecar init/);
  const other = await tntc("sidecar", "new", "x");
  assert.equal(other.code, 2);
  assert.match(other.err, /unknown sub-command "new": use init/);
  const bad = await tntc("sidecar", "init", "Bad", "--port", "8080", "--dir", "/nonexistent/x");
  assert.equal(bad.code, 2);
  assert.equal(
    bad.err,
    [
      `tntc sidecar: sidecar name "Bad" is invalid: must match [a-z][a-z0-9_-]*`,
      `tntc sidecar: sidecar "Bad": port 8080 is reserved for the engine`,
    ].join("\n"),
  );
  const nan = await tntc("sidecar", "init", "ok", "--port", "abc");
  assert.equal(nan.code, 2);
  assert.match(nan.err, /--port "abc" is not a number/);
});

Deno.test("tntc sidecar init refuses a non-empty directory and leaves it alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/keep.txt`, "mine");
    const r = await tntc("sidecar", "init", "x", "--dir", dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /is not empty: refusing to overwrite; choose another --dir/);
    assert.equal(await Deno.readTextFile(`${dir}/keep.txt`), "mine");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
