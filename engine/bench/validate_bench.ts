/**
 * Validating and compiling a generated 1,000-node / 2,000-edge workflow.
 * Run: `deno bench -A engine/bench/validate_bench.ts`. Baselines in the same run: parsing the
 * same YAML with no checks, and zod alone on the parsed data.
 */
import { parse } from "yaml";
import { compile } from "../dag/compile.ts";
import { loadWorkflow } from "../spec/load.ts";
import { WorkflowSchema } from "../spec/schema.ts";
import { validateWorkflow } from "../spec/validate.ts";

const NODES = 1_000;
const EDGES = 2_000;

function generate(): { yaml: string; names: string[] } {
  const names = Array.from({ length: NODES }, (_, i) => `node-${i}`);
  const lines = ["name: big", 'version: "1.0"', "nodes:"];
  for (const n of names) lines.push(`  ${n}:`, `    path: ./nodes/${n}.ts`);
  lines.push("edges:");
  // Forward edges only (i < j), so the graph is acyclic; deterministic pseudo-random choice.
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const seen = new Set<string>();
  while (seen.size < EDGES) {
    const a = Math.floor(rand() * (NODES - 1));
    const b = a + 1 + Math.floor(rand() * (NODES - a - 1));
    const key = `${a}-${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  - from: ${names[a]}`, `    to: ${names[b]}`);
  }
  return { yaml: lines.join("\n") + "\n", names };
}

const { yaml, names } = generate();
const dir = await Deno.makeTempDir({ prefix: "tntc-bench-" });
await Deno.mkdir(`${dir}/nodes`);
await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml);
for (const n of names) {
  await Deno.writeTextFile(`${dir}/nodes/${n}.ts`, "export default () => 1;\n");
}
const data = parse(yaml);
const wf = validateWorkflow(yaml);

Deno.bench("baseline: YAML parse only", { group: "1k nodes", baseline: true }, () => {
  parse(yaml);
});
Deno.bench("zod schema only (parsed data)", { group: "1k nodes" }, () => {
  WorkflowSchema.parse(data);
});
Deno.bench("validateWorkflow (no file checks)", { group: "1k nodes" }, () => {
  validateWorkflow(yaml);
});
Deno.bench("loadWorkflow (read + validate + 1,000 node files)", { group: "1k nodes" }, async () => {
  await loadWorkflow(dir);
});
Deno.bench("compile (topological order + stages)", { group: "1k nodes" }, () => {
  compile(Object.keys(wf.nodes), wf.edges);
});
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
