// Runs queued inside a busy sandbox (RunnerOptions.pipelineDepth): they still run alone, a
// slow or blocked run ahead of them never holds them up for long, and cancel reaches them.
import assert from "node:assert/strict";
import type { LogRecord } from "./options.ts";
import { tempWorkflow } from "./_test_util.ts";
import { createRunner } from "./runner.ts";
import type { WorkflowRunner } from "./types.ts";

const WORKFLOW = `name: pipeline
version: "1"
config:
  timeout: 2s
nodes:
  work:
    path: ./work.ts
`;

// "quick" answers at once; "sleep" waits input.ms on a timer; "spin" holds the thread for
// 4 s (Deno cannot interrupt it; the sandbox is terminated at the node's 2 s timeout).
const WORK = `export default async function run(ctx, input) {
  if (input.mode === "sleep") await new Promise((r) => setTimeout(r, input.ms));
  if (input.mode === "spin") { const end = Date.now() + 4000; while (Date.now() < end) {} }
  return { id: input.id, runId: ctx.runId };
}
`;

async function pipelined(logs: LogRecord[] = [], pipelineDepth = 1) {
  const wf = await tempWorkflow(WORKFLOW, { "work.ts": WORK });
  const runner = await createRunner(wf.loaded, {
    layout: wf.layout,
    log: (r) => logs.push(r),
    logLevel: "debug",
    poolSize: 2,
    pipelineDepth,
  });
  // Short runs teach the pool that runs here are quick, so new ones may queue in a sandbox.
  for (let i = 0; i < 30; i++) await runner.run({ mode: "quick", id: -1 });
  return {
    runner,
    async [Symbol.asyncDispose]() {
      await runner.close();
      await wf[Symbol.asyncDispose]();
    },
  };
}

const run = (runner: WorkflowRunner, input: Record<string, unknown>) => runner.run(input);

Deno.test("many concurrent short runs through queued sandboxes each get their own input and result", async () => {
  await using p = await pipelined();
  const results = await Promise.all(
    Array.from({ length: 400 }, (_, id) => run(p.runner, { mode: "quick", id })),
  );
  results.forEach((result, id) => {
    assert.equal(result.success, true);
    assert.deepEqual(result.outputs.work, { id, runId: result.runId });
  });
  assert.equal(new Set(results.map((r) => r.runId)).size, 400);
  assert.equal(p.runner.stats?.().queued, 0);
});

Deno.test("a run queued behind a slow run is handed back and finishes long before it", async () => {
  const logs: LogRecord[] = [];
  await using p = await pipelined(logs);
  const slow = run(p.runner, { mode: "sleep", ms: 1_500, id: 1 });
  const quick = await run(p.runner, { mode: "quick", id: 2 });
  assert.equal(quick.success, true);
  // Handed back after 5 ms, it waits at most for a new sandbox to start, not for the slow run.
  assert.ok(quick.timing.durationMs < 1_000, `quick run took ${quick.timing.durationMs} ms`);
  assert.ok(
    logs.some((r) => r.runId === quick.runId && r.msg.startsWith("run handed back unstarted")),
    "the quick run had queued in the slow run's sandbox",
  );
  assert.equal((await slow).success, true);
});

Deno.test("a run queued behind a node that blocks its sandbox runs elsewhere when that sandbox is terminated", async () => {
  const logs: LogRecord[] = [];
  await using p = await pipelined(logs);
  const blocked = run(p.runner, { mode: "spin", id: 1 });
  const queued = run(p.runner, { mode: "quick", id: 2 });
  const [b, q] = await Promise.all([blocked, queued]);
  assert.equal(b.nodes.work?.status, "timed_out");
  assert.equal(q.success, true, JSON.stringify(q.errors));
  assert.deepEqual(q.outputs.work, { id: 2, runId: q.runId });
  assert.equal(q.nodes.work?.attempts, 1);
  // It had no chance to be handed back (the sandbox's thread was busy): it waited for the
  // blocked node's timeout, then started on another sandbox.
  assert.ok(!logs.some((r) => r.runId === q.runId && r.msg.startsWith("run handed back")));
  assert.ok(q.timing.durationMs >= 2_000, `queued run took ${q.timing.durationMs} ms`);
  assert.equal(p.runner.stats?.().stuckSandboxes, 1);
});

Deno.test("cancelling a run queued in a busy sandbox ends it cancelled without starting it", async () => {
  const logs: LogRecord[] = [];
  await using p = await pipelined(logs);
  const slow = run(p.runner, { mode: "sleep", ms: 500, id: 1 });
  const abort = new AbortController();
  const queued = p.runner.run({ mode: "quick", id: 2 }, { signal: abort.signal });
  abort.abort();
  const result = await queued;
  assert.deepEqual(
    [result.nodes.work?.status, result.errors.work],
    ["cancelled", "not started: run cancelled"],
  );
  assert.ok(logs.some((r) => r.runId === result.runId && r.msg.startsWith("run handed back")));
  assert.equal((await slow).success, true);
});

Deno.test("with pipelineDepth 0 no run ever queues inside a sandbox", async () => {
  const logs: LogRecord[] = [];
  await using p = await pipelined(logs, 0);
  const slow = run(p.runner, { mode: "sleep", ms: 100, id: 1 });
  const quick = await run(p.runner, { mode: "quick", id: 2 });
  assert.equal(quick.success, true);
  assert.ok(!logs.some((r) => r.msg.startsWith("run handed back")));
  await slow;
});
