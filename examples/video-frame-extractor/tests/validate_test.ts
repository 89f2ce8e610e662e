import assert from "node:assert/strict";

const ROOT = decodeURIComponent(new URL("../../../", import.meta.url).pathname).replace(/\/$/, "");

for (const example of ["video-frame-extractor", "markdown-to-html"]) {
  Deno.test(`tntc validate accepts examples/${example}`, async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "engine/cli/main.ts", "validate", `examples/${example}`],
      cwd: ROOT,
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, new RegExp(`workflow "${example}", \\d node\\(s\\), 1 sidecar\\(s\\)`));
  });
}
