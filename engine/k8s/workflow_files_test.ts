import { deepStrictEqual, equal, rejects, throws } from "node:assert/strict";
import { loadWorkflow } from "../spec/load.ts";
import { validateWorkflow } from "../spec/validate.ts";
import { readWorkflowFiles, workflowFilePaths } from "./workflow_files.ts";

const yaml = (paths: string[]) =>
  'name: a\nversion: "1"\nnodes:\n' + paths.map((p, i) => `  n${i}:\n    path: ${p}\n`).join("");

Deno.test("workflowFilePaths() normalizes node paths, drops duplicates and sorts", () => {
  const wf = validateWorkflow(yaml(["./nodes/b.ts", "nodes/./a.ts", "nodes/b.ts", "x/../c.ts"]));
  deepStrictEqual(workflowFilePaths(wf), ["c.ts", "nodes/a.ts", "nodes/b.ts", "workflow.yaml"]);
});

Deno.test("workflowFilePaths() refuses a path that leaves the workflow directory", () => {
  const wf = validateWorkflow(yaml(["../other/n.ts"]));
  throws(() => workflowFilePaths(wf), /node "n0": path "\.\.\/other\/n\.ts" must be relative/);
});

Deno.test("readWorkflowFiles() reads each file byte for byte, including a byte order mark", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/nodes`);
    await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml(["./nodes/n.ts"]));
    await Deno.writeTextFile(`${dir}/nodes/n.ts`, "\uFEFFexport default () => 'é';\r\n");
    const files = await readWorkflowFiles(await loadWorkflow(dir));
    deepStrictEqual(files.map((f) => f.path), ["nodes/n.ts", "workflow.yaml"]);
    equal(files[0]!.text, "\uFEFFexport default () => 'é';\r\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readWorkflowFiles() rejects a node file that is not UTF-8 text, naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml(["./n.ts"]));
    await Deno.writeFile(`${dir}/n.ts`, new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    await rejects(readWorkflowFiles(await loadWorkflow(dir)), /n\.ts is not UTF-8 text/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readWorkflowFiles() follows relative imports transitively and skips ones that are not files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/nodes`);
    await Deno.mkdir(`${dir}/lib`);
    await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml(["./nodes/n.ts"]));
    await Deno.writeTextFile(
      `${dir}/nodes/n.ts`,
      '// see "./gone.ts" (import "./gone.ts" in a comment)\nimport { f } from "../lib/f.ts";\n',
    );
    await Deno.writeTextFile(`${dir}/lib/f.ts`, 'export { g as f } from "./g.ts";\n');
    await Deno.writeTextFile(`${dir}/lib/g.ts`, "export const g = 1;\n");
    const files = await readWorkflowFiles(await loadWorkflow(dir));
    deepStrictEqual(files.map((f) => f.path), [
      "lib/f.ts",
      "lib/g.ts",
      "nodes/n.ts",
      "workflow.yaml",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readWorkflowFiles() refuses an import from outside the workflow directory, naming it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml(["./n.ts"]));
    await Deno.writeTextFile(`${dir}/n.ts`, 'import { x } from "../shared/x.ts";\n');
    await rejects(
      readWorkflowFiles(await loadWorkflow(dir)),
      /^RangeError: n\.ts imports "\.\.\/shared\/x\.ts", which is outside the workflow directory/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
