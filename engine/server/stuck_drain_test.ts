import assert from "node:assert/strict";
import type { RunnerStats } from "../run/types.ts";
import { EXIT_RESTART, STUCK_DRAIN_REASON, watchStuckSandboxes } from "./stuck_drain.ts";

const stats = (stuckSandboxes: number): RunnerStats => ({
  sandboxes: 2,
  busy: 1,
  queued: 0,
  stuckSandboxes,
});

Deno.test("watchStuckSandboxes() calls onStuck once, from its own timer, when a sandbox gets stuck", async () => {
  let stuck = 0;
  const seen: number[] = [];
  const fired = Promise.withResolvers<void>();
  const watch = watchStuckSandboxes({
    stats: () => stats(stuck),
    onStuck(n) {
      seen.push(n);
      fired.resolve();
    },
    everyMs: 5,
  });
  try {
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(seen, []);
    stuck = 2;
    // The watch's timer is unref'd (it never keeps a process alive); this one keeps the test's.
    let guard: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) =>
      guard = setTimeout(() => reject(new Error("onStuck was not called")), 2_000)
    );
    await Promise.race([fired.promise, timeout]).finally(() => clearTimeout(guard));
    stuck = 3;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(watch.check(), true);
    assert.deepEqual(seen, [2]);
  } finally {
    watch.stop();
  }
});

Deno.test("watchStuckSandboxes() never fires for a runner without counters, and stop() ends all checks", async () => {
  let calls = 0;
  const watch = watchStuckSandboxes({
    stats: () => (calls++, undefined),
    onStuck: () => assert.fail("no runner counters, nothing can be stuck"),
    everyMs: 5,
  });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(watch.check(), false);
  watch.stop();
  const after = calls;
  await new Promise((r) => setTimeout(r, 30));
  assert.ok(after >= 2, `checked ${after} times`);
  assert.equal(watch.check(), false);
  assert.equal(calls, after, "a stopped watch reads no counters");
});

Deno.test("watchStuckSandboxes() rejects a non-positive interval", () => {
  for (const everyMs of [0, -1, Number.NaN]) {
    assert.throws(
      () => watchStuckSandboxes({ stats: () => undefined, onStuck: () => {}, everyMs }),
      { name: "RangeError", message: `everyMs must be a positive number, got ${everyMs}` },
    );
  }
});

Deno.test("the restart exit code is EX_TEMPFAIL and the drain reason names the cause", () => {
  assert.equal(EXIT_RESTART, 75);
  assert.equal(STUCK_DRAIN_REASON, "sandbox stuck in a CPU-bound loop; draining for restart");
});
