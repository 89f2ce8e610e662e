import assert from "node:assert/strict";
import { longestRunMs, type RunLimits } from "./_longest_run.ts";

function plan(
  nodes: [parents: number[], timeoutMs: number, retries: number][],
  runTimeoutMs: number | null = null,
): RunLimits {
  return {
    nodes: nodes.map(([parents, timeoutMs, retries], index) => ({
      index,
      parents,
      timeoutMs,
      retries,
    })),
    runTimeoutMs,
    retryBaseMs: 100,
    retryMaxMs: 250,
  };
}

Deno.test("longestRunMs takes the slowest path, not the sum of all nodes", () => {
  // 0 -> 1 -> 3 (1 s each) beside 0 -> 2 -> 3 where 2 takes 5 s: 1 + 5 + 1 s, plus the
  // longest node timeout once for a wait behind a blocked sandbox.
  const p = plan([[[], 1_000, 0], [[0], 1_000, 0], [[0], 5_000, 0], [[1, 2], 1_000, 0]]);
  assert.equal(longestRunMs(p), 7_000 + 5_000);
});

Deno.test("longestRunMs counts every attempt and the capped backoff before each retry", () => {
  // 3 retries: 4 attempts of 1 s, backoffs of at most 100, 200 and 250 (capped) ms.
  assert.equal(longestRunMs(plan([[[], 1_000, 3]])), 4_000 + 550 + 1_000);
});

Deno.test("longestRunMs is capped by config.runTimeout", () => {
  const p = plan([[[], 30_000, 2], [[0], 30_000, 0]], 10_000);
  assert.equal(longestRunMs(p), 10_000 + 30_000);
});

Deno.test("longestRunMs of nodes given out of order and of independent roots", () => {
  // Node 0 depends on node 2, which is listed after it.
  const p = plan([[[2], 2_000, 0], [[], 500, 0], [[], 1_000, 0]]);
  assert.equal(longestRunMs(p), 3_000 + 2_000);
});
