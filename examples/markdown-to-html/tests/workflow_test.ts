import assert from "node:assert/strict";

const ROOT = decodeURIComponent(new URL("../../../", import.meta.url).pathname).replace(/\/$/, "");

Deno.test("tntc run renders a page through the real markdown sidecar on port 9001", async () => {
  const shared = await Deno.makeTempDir();
  const sidecar = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "examples/markdown-sidecar/main.ts"],
    cwd: ROOT,
    env: { PORT: "9001", HOST: "127.0.0.1", SHARED_DIR: shared },
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  try {
    const run = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "engine/cli/main.ts",
        "run",
        "examples/markdown-to-html",
        "--input",
        JSON.stringify({ markdown: "# Release notes\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" }),
      ],
      cwd: ROOT,
      env: { SHARED_DIR: shared },
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    assert.equal(run.code, 0, stdout + new TextDecoder().decode(run.stderr));
    const result = JSON.parse(stdout);
    assert.equal(result.success, true);
    assert.equal(result.outputs.page.title, "Release notes");
    assert.match(result.outputs.page.document, /<table>\n<thead>\n<tr>\n<th>a<\/th>/);
    assert.deepEqual(Object.keys(result.nodes), ["render", "page"]);
  } finally {
    Deno.kill(-sidecar.pid, "SIGTERM");
    await sidecar.status;
    await Deno.remove(shared, { recursive: true });
  }
});
