import assert from "node:assert/strict";
import { FakeRunner } from "./_fake_runner.ts";
import { NotAcceptingError, RunLimitError } from "./run_errors.ts";
import { RunRegistry } from "./run_registry.ts";

function registry(runner: FakeRunner, maxConcurrent = 2, retain = 3) {
  return new RunRegistry({ runner, maxConcurrent, retain });
}

Deno.test("RunRegistry refuses a run beyond the concurrent limit with RunLimitError", () => {
  const runner = new FakeRunner();
  const runs = registry(runner, 2);
  runs.start({}, { trigger: "manual" });
  runs.start({}, { trigger: "manual" });
  assert.throws(() => runs.start({}, { trigger: "manual" }), (err) => {
    assert.ok(err instanceof RunLimitError);
    assert.equal(err.limit, 2);
    return true;
  });
  assert.equal(runs.inFlight, 2);
});

Deno.test("RunRegistry frees a slot when a run finishes", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner, 1);
  const first = runs.start({}, { trigger: "manual" });
  runner.release(first.record.runId);
  assert.equal((await first.done).status, "succeeded");
  assert.equal(runs.inFlight, 0);
  runs.start({}, { trigger: "manual" });
});

Deno.test("RunRegistry marks a run failed when a node fails, and keeps its result", async () => {
  const runner = new FakeRunner();
  runner.autoRelease = true;
  const done = await registry(runner).start({ fail: true }, { trigger: "cron:x" }).done;
  assert.equal(done.status, "failed");
  assert.equal(done.trigger, "cron:x");
  assert.equal(done.result?.errors.echo, "asked to fail");
  assert.ok(done.finishedAt);
});

Deno.test("RunRegistry records a runner that throws as failed with the reason", async () => {
  const causes: unknown[] = [];
  const runs = new RunRegistry({
    runner: {
      run: () => Promise.reject(new Error("sandbox died")),
      close: () => Promise.resolve(),
    },
    maxConcurrent: 1,
    retain: 1,
    onFinish: (_r, _ms, cause) => causes.push(cause),
  });
  const done = await runs.start({}, { trigger: "manual" }).done;
  assert.equal(done.status, "failed");
  assert.equal(done.error, "the engine could not run the workflow: sandbox died");
  assert.equal((causes[0] as Error).message, "sandbox died");
});

Deno.test("RunRegistry.cancel aborts the run's signal; the run ends cancelled", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const { record, done } = runs.start({}, { trigger: "manual", requestId: "r1" });
  assert.equal(runs.cancel(record.runId, "stop it"), true);
  const finished = await done;
  assert.equal(finished.status, "cancelled");
  assert.equal(finished.requestId, "r1");
  assert.deepEqual(runner.calls[0]?.options.logFields, { trigger: "manual", requestId: "r1" });
  assert.equal(finished.result?.errors.echo, "stop it");
  assert.equal(runs.cancel(record.runId), false);
  assert.equal(runs.cancel("unknown"), false);
});

Deno.test("RunRegistry keeps only the most recent finished runs", async () => {
  const runner = new FakeRunner();
  runner.autoRelease = true;
  const runs = registry(runner, 5, 2);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await runs.start({}, { trigger: "manual" }).done).runId);
  assert.equal(runs.get(ids[0]!), undefined);
  assert.equal(runs.get(ids[1]!)?.status, "succeeded");
  assert.equal(runs.get(ids[2]!)?.status, "succeeded");
});

Deno.test("RunRegistry.drain lets runs finish within the grace period", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const { record } = runs.start({}, { trigger: "manual" });
  setTimeout(() => runner.release(record.runId), 20);
  const report = await runs.drain(5_000);
  assert.deepEqual(report, { finished: 1, cancelled: 0 });
  assert.equal(runs.get(record.runId)?.status, "succeeded");
  assert.throws(() => runs.start({}, { trigger: "manual" }), NotAcceptingError);
});

Deno.test("RunRegistry.drain cancels runs still going when the grace period ends", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const { record } = runs.start({}, { trigger: "manual" });
  const started = performance.now();
  const report = await runs.drain(50);
  assert.ok(performance.now() - started >= 45);
  assert.deepEqual(report, { finished: 0, cancelled: 1 });
  const finished = runs.get(record.runId);
  assert.equal(finished?.status, "cancelled");
  assert.equal(
    finished?.result?.errors.echo,
    "engine is shutting down: grace period of 50 ms expired",
  );
});

Deno.test("RunRegistry.hurryDrain shortens a running drain, never lengthens it", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const { record } = runs.start({}, { trigger: "manual" });
  const started = performance.now();
  const draining = runs.drain(60_000);
  runs.hurryDrain(120_000); // later than the drain's own end: no effect
  setTimeout(() => runs.hurryDrain(50), 20);
  const report = await draining;
  const took = performance.now() - started;
  assert.ok(took >= 60 && took < 5_000, `drain took ${took} ms`);
  assert.deepEqual(report, { finished: 0, cancelled: 1 });
  assert.equal(
    runs.get(record.runId)?.result?.errors.echo,
    "engine is shutting down: grace period of 50 ms expired",
  );
});

Deno.test("RunRegistry.hurryDrain before the drain starts caps it", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  runs.start({}, { trigger: "manual" });
  runs.hurryDrain(30);
  const started = performance.now();
  const report = await runs.drain(60_000);
  assert.ok(performance.now() - started < 5_000);
  assert.deepEqual(report, { finished: 0, cancelled: 1 });
});

Deno.test("RunRegistry.drain waits out a grace period longer than a timer can take", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const { record } = runs.start({}, { trigger: "manual" });
  const draining = runs.drain(2 ** 32); // ~50 days: a plain setTimeout would fire at once
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(runs.inFlight, 1, "the run was not cancelled");
  runner.release(record.runId);
  assert.deepEqual(await draining, { finished: 1, cancelled: 0 });
});

Deno.test("RunRegistry.cancelAll cancels every run in flight", async () => {
  const runner = new FakeRunner();
  const runs = registry(runner);
  const a = runs.start({}, { trigger: "manual" });
  const b = runs.start({}, { trigger: "manual" });
  assert.equal(runs.cancelAll("now"), 2);
  assert.deepEqual([(await a.done).status, (await b.done).status], ["cancelled", "cancelled"]);
});

Deno.test("RunRegistry rejects a limit that is not a positive integer", () => {
  assert.throws(
    () => new RunRegistry({ runner: new FakeRunner(), maxConcurrent: 0, retain: 1 }),
    { name: "RangeError", message: "maxConcurrent must be a positive integer, got 0" },
  );
});
