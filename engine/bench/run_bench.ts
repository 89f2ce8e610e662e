/**
 * Engine overhead per node, sandboxing included: a 100-node chain and a 100-wide fan-out run
 * through `createRunner` (warm Worker sandboxes) against a baseline that calls the same node
 * functions directly in this process, measured in the same run. Then idle RSS: fresh child
 * processes holding a warm runner, under several V8 flag sets (with the engine's
 * `--no-code-cache`), against a bare `deno` process measured the same way (the baseline).
 *
 * Run: `deno task bench:engine` (or `deno run -A engine/bench/run_bench.ts [runs]`).
 *
 * @module
 */
import type { NodeFunction, WorkflowRunner } from "../run/mod.ts";

// Imported on use, so that the bare-process baseline (a child running this file) loads none of
// the engine.
async function engine() {
  const [{ createRunner }, { loadWorkflow }] = await Promise.all([
    import("../run/mod.ts"),
    import("../spec/load.ts"),
  ]);
  return { createRunner, loadWorkflow };
}

const WIDTH = 100;
const RUNS = Number(Deno.args[0] ?? 2000);
/** V8 flag sets compared for memory (and their cost in speed). */
const FLAG_SETS = ["", "--max-semi-space-size=2", "--max-semi-space-size=1", "--lite-mode"];

const NODE = `export default async function run(_ctx: unknown, input: unknown): Promise<unknown> {
  return { v: typeof input === "object" && input !== null && "v" in input ? (input as { v: number }).v + 1 : 1 };
}
`;

interface Shape {
  name: string;
  nodes: string[];
  edges: [string, string][];
}

function chain(length: number): Shape {
  const nodes = Array.from({ length }, (_, i) => `n${i}`);
  return { name: `chain-${length}`, nodes, edges: nodes.slice(1).map((n, i) => [nodes[i]!, n]) };
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

function layoutOf(dir: string) {
  return {
    appDir: dir,
    secretsDir: `${dir}/secrets`,
    sharedDir: `${dir}/shared`,
    tmpDir: dir,
    listen: "127.0.0.1:0",
  };
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Child mode: `--rss bare`, `--rss idle <dir>` (a warm runner after 500 runs) or
 * `--rss burst <dir>` (after 2,000 runs at concurrency 16). Prints `{ rssMb, usPerRun }`.
 */
async function rssChild(mode: string, dir: string | undefined): Promise<void> {
  let usPerRun = NaN;
  let runner: WorkflowRunner | undefined;
  if (mode !== "bare") {
    const { createRunner, loadWorkflow } = await engine();
    runner = await createRunner(await loadWorkflow(dir!), {
      layout: layoutOf(dir!),
      log: () => {},
    });
    usPerRun = await time(300, () => runner!.run({ v: 0 }));
    if (mode === "burst") {
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next++ < 2000) await runner!.run({ v: 0 });
      }));
    }
  }
  await sleep(1500);
  const out = JSON.stringify({ rssMb: mb(Deno.memoryUsage().rss), usPerRun });
  Deno.stdout.writeSync(new TextEncoder().encode(out));
  await runner?.close();
}

async function measureRss(
  flags: string,
  mode: string,
  dir = "",
): Promise<{ rssMb: number; usPerRun: number }> {
  const engineDir = new URL("../run/", import.meta.url).pathname;
  // The engine process's own flag (loaded here only: the children's baseline loads no engine).
  const { ENGINE_CODE_CACHE_FLAG } = await import("../server/engine_command.ts");
  const read = dir ? `--allow-read=${dir},${engineDir}` : `--allow-read=${engineDir}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--unstable-worker-options",
      ENGINE_CODE_CACHE_FLAG,
      ...(flags ? [`--v8-flags=${flags}`] : []),
      read,
      "--allow-env=LOG_TOKENS,LOG_STREAM",
      ...(dir ? [`--allow-write=${dir}`] : []),
      new URL(import.meta.url).pathname,
      "--rss",
      mode,
      ...(dir ? [dir] : []),
    ],
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`RSS child (${mode} ${flags}) failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    "| " + cells.map((c, i) => c.padStart(widths[i]!)).join(" | ") + " |";
  return [
    line(header),
    "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|",
    ...rows.map(line),
  ];
}

async function overheadRows(root: string): Promise<string[][]> {
  const { createRunner, loadWorkflow } = await engine();
  const rows: string[][] = [];
  for (const shape of [chain(WIDTH), fanOut()]) {
    const dir = await writeWorkflow(root, shape);
    const fns = new Map<string, NodeFunction>();
    for (const n of shape.nodes) fns.set(n, (await import(`file://${dir}/nodes/${n}.ts`)).default);
    const runner = await createRunner(await loadWorkflow(dir), {
      layout: layoutOf(dir),
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
    } finally {
      await runner.close();
    }
  }
  return rows;
}

async function rssRows(root: string): Promise<string[][]> {
  const small = `${root}/${chain(3).name}`;
  const big = `${root}/${chain(WIDTH).name}`;
  const rows: string[][] = [];
  for (const flags of FLAG_SETS) {
    const bare = await measureRss(flags, "bare");
    const idle3 = await measureRss(flags, "idle", small);
    const burst3 = await measureRss(flags, "burst", small);
    const idle100 = await measureRss(flags, "idle", big);
    rows.push([
      flags || "(none)",
      bare.rssMb.toFixed(1),
      idle3.rssMb.toFixed(1),
      burst3.rssMb.toFixed(1),
      idle100.rssMb.toFixed(1),
      (idle100.rssMb - bare.rssMb).toFixed(1),
      idle100.usPerRun.toFixed(0),
    ]);
  }
  return rows;
}

if (Deno.args[0] === "--rss") {
  await rssChild(Deno.args[1]!, Deno.args[2]);
} else {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "run_bench_" }));
  const out: string[] = [];
  try {
    await writeWorkflow(root, chain(3));
    out.push(
      ...table(
        ["workflow", "nodes", "direct µs/run", "engine µs/run", "overhead µs/node", "ratio"],
        await overheadRows(root),
      ),
      "",
      ...table(
        [
          "V8 flags",
          "bare deno MB",
          "3 nodes idle MB",
          "3 nodes after burst MB",
          "chain-100 idle MB",
          "over bare MB",
          "chain-100 µs/run",
        ],
        await rssRows(root),
      ),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  out.push(
    "",
    "RSS: fresh child processes, 1.5 s after their last run; a warm runner holds 1 sandbox,",
    "has done 500 runs (µs/run: the last 300 of them) and loaded yaml, zod and the engine.",
    "'after burst': 2,000 runs at concurrency 16 first. Baseline: a bare deno process.",
    `targets: ≤ 20 µs overhead per node, ≤ 80 MB RSS idle; ${RUNS} runs per overhead row`,
  );
  Deno.stdout.writeSync(new TextEncoder().encode(out.join("\n") + "\n"));
}
