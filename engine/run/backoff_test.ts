import assert from "node:assert/strict";
import { backoffDelay, sleep } from "./_backoff.ts";

Deno.test("backoffDelay doubles per retry, half fixed and half random", () => {
  const low = () => 0;
  const high = () => 0.999999;
  assert.deepEqual([1, 2, 3, 4].map((r) => backoffDelay(r, 200, 60_000, low)), [
    100,
    200,
    400,
    800,
  ]);
  assert.deepEqual([1, 2, 3, 4].map((r) => backoffDelay(r, 200, 60_000, high)), [
    200,
    400,
    800,
    1600,
  ]);
  assert.equal(backoffDelay(3, 200, 60_000, () => 0.5), 600);
});

Deno.test("backoffDelay is capped at maxMs however many retries came before", () => {
  assert.equal(backoffDelay(10, 200, 10_000, () => 0.999999), 10_000);
  assert.equal(backoffDelay(1_000, 200, 10_000, () => 0), 5_000);
  assert.equal(backoffDelay(1_000, 200, 10_000, () => 0.999999), 10_000);
});

Deno.test("backoffDelay spreads concurrent retries across the jitter window", () => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const delays = Array.from({ length: 200 }, () => backoffDelay(3, 200, 10_000, random));
  assert.ok(delays.every((d) => d >= 400 && d <= 800), `out of [400, 800]: ${delays}`);
  assert.ok(new Set(delays).size > 100, "delays are spread, not identical");
});

Deno.test("sleep resolves after the delay and rejects with the signal's reason when aborted", async () => {
  const started = performance.now();
  await sleep(30);
  assert.ok(performance.now() - started >= 25);
  const controller = new AbortController();
  const pending = sleep(10_000, controller.signal);
  controller.abort(new DOMException("stop now", "AbortError"));
  await assert.rejects(pending, { name: "AbortError", message: "stop now" });
  await assert.rejects(sleep(10, AbortSignal.abort(new RangeError("already"))), RangeError);
});
