/**
 * Engine overhead per node, sandboxing included: a 100-node chain and a 100-wide fan-out run
 * through `createRunner` (warm Worker sandboxes) against a baseline that calls the same node
 * functions directly in this process, measured in the same run. Also idle RSS.
 *
 * Run: `deno task bench:engine` (or `deno run -A --unstable-worker-options engine/bench/run_bench.ts`).
 *
 * @module
 */
import { createRunner } from "../run/mod.ts";
import type { NodeFunction, WorkflowRunner } from "../run/mod.ts";
import { loadWorkflow } from "../spec/load.ts";

const WIDTH = 100;
const RUNS = Number(Deno.args[0] ?? 2000);

if (Deno.args[0] === "--idle-rss") {
  // Child mode: a process holding only a warm runner of the workflow in Deno.args[1].
  const dir = Deno.args[1]!;
  const layout = {
    appDir: dir,
    secretsDir: `${dir}/secrets`,
    sharedDir: `${dir}/shared`,
    tmpDir: dir,
    listen: "127.0.0.1:0",
  };
  const runner = await createRunner(await loadWorkflow(dir), { layout, log: () => {} });
  for (let i = 0; i < 100; i++) await runner.run({ v: 0 });
  await new Promise((r) => setTimeout(r, 1000));
  Deno.stdout.writeSync(new TextEncoder().encode(String(Deno.memoryUsage().rss)));
  await runner.close();
  Deno.exit(0);
}

async function idleRssOf(dir: string): Promise<number> {
  const self = new URL(import.meta.url).pathname;
  const engineDir = new URL("../run/", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--unstable-worker-options",
      `--allow-read=${dir},${engineDir}`,
      "--allow-env=LOG_TOKENS,LOG_STREAM",
      `--allow-write=${dir}`,
      self,
      "--idle-rss",
      dir,
    ],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("idle RSS child failed");
  return Number(new TextDecoder().decode(out.stdout)) / 1024 / 1024;
}
const NODE = `export default async function run(_ctx: unknown, input: unknown): Promise<unknown> {
  return { v: typeof input === "object" && input !== null && "v" in input ? (input as { v: number }).v + 1 : 1 };
}
`;

interface Shape {
  name: string;
  nodes: string[];
  edges: [string, string][];
}

function chain(): Shape {
  const nodes = Array.from({ length: WIDTH }, (_, i) => `n${i}`);
  return { name: "chain-100", nodes, edges: nodes.slice(1).map((n, i) => [nodes[i]!, n]) };
}

function fanOut(): Shape {
  const leaves = Array.from({ length: WIDTH }, (_, i) => `leaf${i}`);
  return {
    name: "fan-out-100",
    nodes: ["root", ...leaves, "join"],
    edges: [
      ...leaves.map((l): [string, string] => ["root", l]),
      ...leaves.map((l): [string, string] => [l, "join"]),
    ],
  };
}

async function writeWorkflow(root: string, shape: Shape): Promise<string> {
  const dir = `${root}/${shape.name}`;
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  const yaml = [`name: ${shape.name}`, 'version: "1"', "nodes:"];
  for (const n of shape.nodes) {
    yaml.push(`  ${n}:`, `    path: ./nodes/${n}.ts`);
    await Deno.writeTextFile(`${dir}/nodes/${n}.ts`, NODE);
  }
  yaml.push("edges:", ...shape.edges.map(([f, t]) => `  - from: ${f}\n    to: ${t}`));
  await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml.join("\n") + "\n");
  return dir;
}

/** The same dataflow, as direct calls in this process: the baseline. */
async function direct(shape: Shape, fns: Map<string, NodeFunction>, input: unknown): Promise<void> {
  const parents = new Map<string, string[]>(shape.nodes.map((n) => [n, []]));
  for (const [f, t] of shape.edges) parents.get(t)!.push(f);
  const done = new Map<string, Promise<unknown>>();
  for (const n of shape.nodes) {
    const ps = parents.get(n)!;
    done.set(
      n,
      (async () => {
        const outs = await Promise.all(ps.map((p) => done.get(p)!));
        const arg = ps.length === 0
          ? input
          : ps.length === 1
          ? outs[0]
          : Object.fromEntries(ps.map((p, i) => [p, outs[i]]));
        return await fns.get(n)!({} as never, arg);
      })(),
    );
  }
  await Promise.all(done.values());
}

async function time(runs: number, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(200, runs); i++) await once();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await once();
  return ((performance.now() - start) * 1000) / runs;
}

const root = await Deno.makeTempDir({ prefix: "run_bench_" });
const rows: string[][] = [];
let idleRss = 0;
try {
  for (const shape of [chain(), fanOut()]) {
    const dir = await writeWorkflow(root, shape);
    const fns = new Map<string, NodeFunction>();
    for (const n of shape.nodes) fns.set(n, (await import(`file://${dir}/nodes/${n}.ts`)).default);
    const layout = {
      appDir: dir,
      secretsDir: `${root}/secrets`,
      sharedDir: `${root}/shared`,
      tmpDir: root,
      listen: "127.0.0.1:0",
    };
    const runner: WorkflowRunner = await createRunner(await loadWorkflow(dir), {
      layout,
      log: () => {},
    });
    try {
      const check = await runner.run({ v: 0 });
      if (!check.success) throw new Error(`bench workflow failed: ${JSON.stringify(check.errors)}`);
      const baseline = await time(RUNS, () => direct(shape, fns, { v: 0 }));
      const engine = await time(RUNS, () => runner.run({ v: 0 }));
      const n = shape.nodes.length;
      rows.push([
        shape.name,
        String(n),
        baseline.toFixed(0),
        engine.toFixed(0),
        ((engine - baseline) / n).toFixed(2),
        (engine / baseline).toFixed(1) + "x",
      ]);
      if (shape.name === "chain-100") idleRss = await idleRssOf(dir);
    } finally {
      await runner.close();
    }
  }
} finally {
  await Deno.remove(root, { recursive: true });
}

const header = ["workflow", "nodes", "direct µs/run", "engine µs/run", "overhead µs/node", "ratio"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  "| " + cells.map((c, i) => c.padStart(widths[i]!)).join(" | ") + " |";
const out = [
  line(header),
  "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|",
  ...rows.map(line),
];
out.push(
  "",
  `idle RSS of a process holding a warm runner (chain-100, 1 sandbox): ${idleRss.toFixed(1)} MB`,
);
out.push(`targets: ≤ 20 µs overhead per node, ≤ 80 MB RSS idle; ${RUNS} runs each`);
Deno.stdout.writeSync(new TextEncoder().encode(out.join("\n") + "\n"));
