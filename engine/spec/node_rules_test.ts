import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { HEADER, problems } from "./_test_util.ts";

const A = { "nodes/a.ts": "export default () => 1;\n" };

Deno.test("validate rejects invalid node names at the key", async () => {
  assertEquals(await problems(`${HEADER}nodes:\n  Fetch_Video:\n    path: ./nodes/a.ts\n`, A), [
    '4:3: node name "Fetch_Video" is invalid: must match [a-z][a-z0-9_-]*',
  ]);
});

Deno.test("validate requires a node path", async () => {
  assertEquals(await problems(`${HEADER}nodes:\n  a:\n    description: no path\n`, A), [
    '5:5: node "a": path is required (e.g. path: ./nodes/a.ts)',
  ]);
});

Deno.test("validate requires at least one node", async () => {
  assertEquals(await problems(`${HEADER}nodes: {}\n`, A), [
    "3:8: nodes: at least one node is required",
  ]);
});

Deno.test("validate reports a node file that does not exist", async () => {
  assertEquals(await problems(`${HEADER}nodes:\n  a:\n    path: ./nodes/missing.ts\n`, A), [
    '5:11: node "a": file "./nodes/missing.ts" does not exist',
  ]);
});

Deno.test("validate keeps node paths inside the workflow directory", async () => {
  const yaml = `${HEADER}nodes:\n  a:\n    path: ../outside.ts\n  b:\n    path: /etc/passwd.ts\n`;
  assertEquals(await problems(yaml, A), [
    '5:11: node "a": path "../outside.ts" must stay inside the workflow directory',
    '7:11: node "b": path "/etc/passwd.ts" must be relative to the workflow directory',
  ]);
});

Deno.test("validate rejects a node path whose symlink resolves outside the directory", async () => {
  const outside = await Deno.makeTempFile({ suffix: ".ts" });
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/workflow.yaml`,
      `${HEADER}nodes:\n  a:\n    path: ./link.ts\n`,
    );
    await Deno.symlink(outside, `${dir}/link.ts`);
    const { loadWorkflow } = await import("./load.ts");
    const err = await loadWorkflow(dir).then(() => undefined, (e) => e);
    assertEquals(err?.issues?.map((i: { message: string }) => i.message), [
      'node "a": path "./link.ts" must stay inside the workflow directory',
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(outside);
  }
});

Deno.test("validate requires node files to be TypeScript or JavaScript modules", async () => {
  assertEquals(await problems(`${HEADER}nodes:\n  a:\n    path: ./nodes/a.py\n`, A), [
    '5:11: node "a": path "./nodes/a.py" must be a module ending in .ts, .mts, .js, .mjs',
  ]);
});

Deno.test("validate checks the dependencies and sidecars a node declares", async () => {
  const yaml = `${HEADER}sidecars:\n  - name: ffmpeg\n    image: x\n    port: 9000\n` +
    `contract:\n  version: "1"\n  dependencies:\n    openai-api:\n      protocol: https\n      host: api.openai.com\n` +
    `nodes:\n  a:\n    path: ./nodes/a.ts\n    dependencies: [openai]\n    sidecars: [ffmpeg, pandoc]\n`;
  assertEquals(await problems(yaml, A), [
    '16:20: node "a": dependencies[0] "openai" is not declared in contract.dependencies (did you mean "openai-api"?)',
    '17:24: node "a": sidecars[1] "pandoc" is not declared in sidecars (declared: ffmpeg)',
  ]);
});
