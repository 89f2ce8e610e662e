import assert from "node:assert/strict";
import { loadWorkflow } from "../spec/load.ts";
import { FakeClock, inlineRunner, type TempWorkflow, tempWorkflow } from "./_test_util.ts";
import type { Clock, LogRecord } from "./options.ts";
import { createRunner } from "./runner.ts";

const FLAKY = `name: retry-clock
version: "1"
nodes:
  flaky:
    path: ./flaky.ts
    retries: 3
  after:
    path: ./echo.ts
edges:
  - from: flaky
    to: after
`;

const FILES = {
  // Fails its first `input.failures` attempts of each run.
  "flaky.ts": `const seen = new Map();
export default function run(ctx, input) {
  const n = (seen.get(ctx.runId) ?? 0) + 1;
  seen.set(ctx.runId, n);
  if (n <= input.failures) throw new Error("failure " + n);
  return { attempt: n };
}
`,
  "echo.ts": "export default (_ctx, input) => input;\n",
};

function flaky(): Promise<TempWorkflow> {
  return tempWorkflow(FLAKY, FILES);
}

Deno.test("retries wait the jittered backoff on the injected clock, and every time comes from it", async () => {
  await using wf = await flaky();
  const clock = new FakeClock(Date.UTC(2030, 0, 1));
  await using runner = await inlineRunner(wf, { clock, random: () => 0.5, retryBaseMs: 100 });
  const result = await runner.run({ failures: 2 });
  assert.deepEqual(clock.sleeps, [75, 150]);
  assert.deepEqual(result.outputs, { flaky: { attempt: 3 }, after: { attempt: 3 } });
  assert.deepEqual(result.nodes.flaky, {
    status: "ok",
    attempts: 3,
    startedAt: "2030-01-01T00:00:00.000Z",
    durationMs: 225,
  });
  assert.equal(result.nodes.after?.startedAt, "2030-01-01T00:00:00.225Z");
  assert.deepEqual(result.timing, {
    startedAt: "2030-01-01T00:00:00.000Z",
    finishedAt: "2030-01-01T00:00:00.225Z",
    durationMs: 225,
  });
});

Deno.test("backoff is capped by retryMaxMs and a node that keeps failing ends failed with its last error", async () => {
  await using wf = await flaky();
  const clock = new FakeClock();
  const logs: LogRecord[] = [];
  await using runner = await inlineRunner(
    wf,
    { clock, random: () => 0, retryBaseMs: 1_000, retryMaxMs: 3_000 },
    logs,
  );
  const result = await runner.run({ failures: 10 });
  assert.deepEqual(clock.sleeps, [500, 1_000, 1_500]);
  assert.equal(result.nodes.flaky?.status, "failed");
  assert.equal(result.nodes.flaky?.attempts, 4);
  assert.equal(result.errors.flaky, "failure 4");
  assert.equal(result.errors.after, 'skipped because parent "flaky" failed');
  assert.deepEqual(
    logs.filter((l) => l.level === "warn").map((l) => [l.node, l.msg, l.fields]),
    [
      ["flaky", "attempt 1 of 4 failed; retrying in 500 ms", { error: "failure 1" }],
      ["flaky", "attempt 2 of 4 failed; retrying in 1000 ms", { error: "failure 2" }],
      ["flaky", "attempt 3 of 4 failed; retrying in 1500 ms", { error: "failure 3" }],
    ],
  );
});

Deno.test("cancelling a run during a retry's backoff ends the node cancelled without another attempt", async () => {
  await using wf = await flaky();
  const waitForever: Clock = {
    now: Date.now,
    sleep: (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
  };
  await using runner = await inlineRunner(wf, { clock: waitForever });
  const result = await runner.run({ failures: 10 }, { signal: AbortSignal.timeout(50) });
  assert.equal(result.nodes.flaky?.status, "cancelled");
  assert.equal(result.nodes.flaky?.attempts, 1);
  const why = "run cancelled: The operation was aborted due to timeout"; // the signal's reason
  assert.equal(result.errors.flaky, why);
  assert.equal(result.errors.after, `not started: ${why}`);
});

Deno.test("a root gets the trigger input, a child its parent's output, a join an object keyed by parent", async () => {
  const dir = new URL("./testdata/diamond", import.meta.url).pathname;
  const logs: LogRecord[] = [];
  const runner = await createRunner(await loadWorkflow(dir), {
    layout: { appDir: dir, secretsDir: dir, sharedDir: dir, tmpDir: dir, listen: "127.0.0.1:0" },
    sandbox: false,
    secrets: {},
    log: (record) => logs.push(record),
  });
  try {
    const result = await runner.run({ n: 1 }, { runId: "r-1", logFields: { requestId: "q-9" } });
    assert.equal(result.runId, "r-1");
    assert.deepEqual(result.outputs, {
      a: { n: 2 },
      b: { doubled: 4 },
      c: { greeting: "hello 2", runId: "r-1" },
      d: { b: { doubled: 4 }, c: { greeting: "hello 2", runId: "r-1" } },
    });
    const line = logs.find((l) => l.msg === "a got input");
    assert.ok(line);
    assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual({ ...line, time: "t" }, {
      time: "t",
      level: "info",
      msg: "a got input",
      runId: "r-1",
      node: "a",
      requestId: "q-9",
      fields: { input: { n: 1 } },
    });
  } finally {
    await runner.close();
  }
});

Deno.test("close() cancels the runs in flight and later runs are refused", async () => {
  await using wf = await tempWorkflow(
    'name: hang\nversion: "1"\nnodes:\n  hang:\n    path: ./hang.ts\n',
    {
      "hang.ts": "export default (ctx) => new Promise((_, reject) => " +
        'ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));\n',
    },
  );
  const runner = await inlineRunner(wf);
  const pending = runner.run(null);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await runner.close();
  const result = await pending;
  assert.equal(result.nodes.hang?.status, "cancelled");
  assert.equal(result.errors.hang, "the runner was closed");
  await assert.rejects(runner.run(null), { message: "the runner is closed" });
});
