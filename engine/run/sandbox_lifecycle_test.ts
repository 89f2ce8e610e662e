import assert from "node:assert/strict";
import { LOST_OUTPUT } from "./_result.ts";
import { type TempWorkflow, tempWorkflow } from "./_test_util.ts";
import { NodeLoadError } from "./node_load_error.ts";
import { createRunner } from "./runner.ts";
import type { RunnerOptions } from "./options.ts";
import type { WorkflowRunner } from "./types.ts";

const DEADLINE = `name: deadline
version: "1"
config:
  timeout: 10s
  runTimeout: 300ms
nodes:
  quick:
    path: ./quick.ts
  wait:
    path: ./wait.ts
  spin:
    path: ./spin.ts
  after_wait:
    path: ./quick.ts
edges:
  - from: wait
    to: after_wait
`;

const DEADLINE_FILES = {
  "quick.ts": 'export default () => "quick";\n',
  // Waits for its signal and rejects with its reason.
  "wait.ts": "export default (ctx) => new Promise((_, reject) => " +
    'ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));\n',
  // A CPU-bound loop when asked: the sandbox reads no message until it ends (after 4 s, far
  // past the deadline; bounded only because Deno cannot interrupt the Worker's thread).
  "spin.ts": "export default (_ctx, input) => {\n  const end = Date.now() + 4000;\n" +
    "  while (input.spin && Date.now() < end) {}\n  return 'no spin';\n};\n",
};

const HEARTBEAT = `name: heartbeat
version: "1"
nodes:
  beat:
    path: ./beat.ts
`;

// Writes a growing counter to input.file until its sandbox is stopped, ignoring ctx.signal:
// "async" yields between writes; "spin" writes once, then never yields (for 4 s: Deno cannot
// interrupt it). It writes only once so that it cannot recreate the file while the test's
// temp dir is being removed (the spinning thread outlives the test).
const BEAT = `export default async function run(_ctx, input) {
  let n = 0;
  const end = Date.now() + 4000;
  if (input.mode === "spin") {
    Deno.writeTextFileSync(input.file, "spinning");
    while (Date.now() < end) ++n;
    return n;
  }
  for (;;) {
    await Deno.writeTextFile(input.file, String(++n));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
`;

async function sandboxed(
  wf: TempWorkflow,
  options: Partial<RunnerOptions> = {},
): Promise<WorkflowRunner & AsyncDisposable> {
  const runner = await createRunner(wf.loaded, { layout: wf.layout, log: () => {}, ...options });
  return Object.assign(runner, { [Symbol.asyncDispose]: () => runner.close() });
}

Deno.test("config.runTimeout ends a run at its deadline: running nodes time out, the rest are cancelled", async () => {
  await using wf = await tempWorkflow(DEADLINE, DEADLINE_FILES);
  await using runner = await sandboxed(wf);
  const result = await runner.run({ spin: false });
  assert.equal(result.success, false);
  assert.deepEqual(result.outputs, { quick: "quick", spin: "no spin" });
  assert.equal(result.nodes.wait?.status, "timed_out");
  assert.equal(result.errors.wait, "run timed out after 300ms");
  assert.equal(result.nodes.after_wait?.status, "cancelled");
  assert.equal(result.errors.after_wait, "not started: run timed out after 300ms");
  assert.ok(result.timing.durationMs >= 290, `ended after ${result.timing.durationMs} ms`);
  assert.ok(result.timing.durationMs < 1_500, `ended after ${result.timing.durationMs} ms`);
});

Deno.test("config.runTimeout also stops a run whose node blocks its sandbox, and the next run works", async () => {
  await using wf = await tempWorkflow(DEADLINE, DEADLINE_FILES);
  await using runner = await sandboxed(wf, { killGraceMs: 200 });
  const stuck = await runner.run({ spin: true });
  assert.deepEqual(
    Object.fromEntries(Object.entries(stuck.nodes).map(([n, r]) => [n, [r.status, r.error]])),
    {
      // quick finished before spin blocked the sandbox; its output was lost with the sandbox.
      quick: ["ok", LOST_OUTPUT],
      wait: ["timed_out", "run timed out after 300ms"],
      spin: ["timed_out", "run timed out after 300ms"],
      after_wait: ["cancelled", "not started: run timed out after 300ms"],
    },
  );
  assert.deepEqual(stuck.outputs, {});
  // Its own duration (it returned at once), not the time until the sandbox was terminated.
  assert.ok(stuck.nodes.quick!.durationMs < 100, `quick took ${stuck.nodes.quick!.durationMs} ms`);
  assert.ok(stuck.timing.durationMs < 2_000, `ended after ${stuck.timing.durationMs} ms`);
  assert.equal(runner.stats?.().stuckSandboxes, 1);
  const next = await runner.run({ spin: false });
  assert.deepEqual(next.outputs, { quick: "quick", spin: "no spin" });
  assert.deepEqual(runner.stats?.(), { sandboxes: 1, busy: 0, queued: 0, stuckSandboxes: 1 });
});

/** Resolves with the file's text once it exists and is not empty. */
async function firstBeat(file: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = await Deno.readTextFile(file).catch(() => "");
    if (text !== "") return text;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${file} was never written`);
}

Deno.test("close() ends runs in flight as cancelled, even a blocked or queued one, and stops the sandboxes", async () => {
  await using wf = await tempWorkflow(HEARTBEAT, { "beat.ts": BEAT });
  const runner = await createRunner(wf.loaded, {
    layout: wf.layout,
    log: () => {},
    poolSize: 2,
    killGraceMs: 200,
  });
  const files = { async: `${wf.layout.tmpDir}/async`, spin: `${wf.layout.tmpDir}/spin` };
  const polite = runner.run({ mode: "async", file: files.async });
  const blocked = runner.run({ mode: "spin", file: files.spin });
  const queued = runner.run({ mode: "async", file: `${wf.layout.tmpDir}/never` });
  await Promise.all([firstBeat(files.async), firstBeat(files.spin)]);
  assert.deepEqual(runner.stats?.(), { sandboxes: 2, busy: 2, queued: 1, stuckSandboxes: 0 });
  const started = performance.now();
  await runner.close();
  const closing = performance.now() - started;
  assert.ok(closing < 1_500, `close() took ${closing} ms`);
  const [a, b, c] = await Promise.all([polite, blocked, queued]);
  assert.deepEqual([a.nodes.beat?.status, a.errors.beat], ["cancelled", "the runner was closed"]);
  assert.deepEqual([b.nodes.beat?.status, b.errors.beat], ["cancelled", "the runner was closed"]);
  assert.deepEqual(
    [c.nodes.beat?.status, c.errors.beat],
    ["cancelled", "not started: the runner was closed"],
  );
  // The sandbox that yields is gone: its node code writes no more. The CPU-bound one is
  // terminated too, but Deno 2.9 cannot interrupt it (see RunnerStats.stuckSandboxes).
  const after = await Deno.readTextFile(files.async);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await Deno.readTextFile(files.async), after, "the sandbox stopped");
  assert.deepEqual(runner.stats?.(), { sandboxes: 0, busy: 0, queued: 0, stuckSandboxes: 1 });
  await assert.rejects(runner.run({}), { message: "the runner is closed" });
});

Deno.test("a runner does not start when node modules cannot load: every one named, syntax errors once", async () => {
  await using wf = await tempWorkflow(
    'name: broken\nversion: "1"\nnodes:\n  typo:\n    path: ./typo.ts\n  nodefault:\n    path: ./nodefault.ts\n',
    {
      "typo.ts": "export default function run( { oops\n",
      "nodefault.ts": "export const run = () => 1;\n",
    },
  );
  const err = await sandboxed(wf).then(
    (runner) => (runner.close(), new Error("started")),
    (e: Error) => e,
  );
  assert.ok(err instanceof NodeLoadError, String(err));
  assert.match(
    err.errors.typo ?? "",
    /^node "typo": cannot load file:\/\/.*\/typo\.ts: SyntaxError: /,
  );
  assert.doesNotMatch(err.errors.typo ?? "", /TypeError/);
  assert.match(
    err.errors.nodefault ?? "",
    /nodefault\.ts must have a default export `async function run\(ctx, input\)` \(its default export is undefined\)$/,
  );
});

Deno.test("a node module whose top-level code never finishes fails the start, named, after loadTimeoutMs", async () => {
  await using wf = await tempWorkflow(
    'name: hangs\nversion: "1"\nnodes:\n  fine:\n    path: ./fine.ts\n  waits:\n    path: ./waits.ts\n',
    {
      "fine.ts": "export default () => 1;\n",
      // Never settles (a loop would do the same, but would keep a thread of the test busy).
      "waits.ts": "await new Promise(() => {});\nexport default () => 2;\n",
    },
  );
  const started = performance.now();
  const err = await sandboxed(wf, { loadTimeoutMs: 300 }).then(
    (runner) => (runner.close(), new Error("started")),
    (e: Error) => e,
  );
  assert.ok(performance.now() - started < 5_000);
  assert.ok(err instanceof NodeLoadError, String(err));
  assert.deepEqual(Object.keys(err.errors), ["waits"]);
  assert.match(
    err.errors.waits!,
    /^node "waits": file:\/\/.*\/waits\.ts did not finish loading within 300ms: its top-level code never returns/,
  );
});
