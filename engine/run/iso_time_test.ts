import assert from "node:assert/strict";
import { isoTime } from "./_log.ts";

Deno.test("isoTime formats like Date.prototype.toISOString across seconds, years and fractions", () => {
  const samples = [
    0,
    1,
    999,
    1_000,
    Date.UTC(2030, 0, 1),
    Date.UTC(2030, 0, 1) + 7,
    Date.UTC(2030, 0, 1) + 70,
    Date.UTC(2030, 0, 1) + 700,
    Date.UTC(2029, 11, 31, 23, 59, 59, 999),
    Date.UTC(2024, 1, 29, 12, 0, 0, 5),
    1_763_900_123_456.7,
    -1,
    -1_500,
    Date.UTC(12_000, 0, 1),
  ];
  for (const ms of [...samples, ...samples.reverse()]) {
    assert.equal(isoTime(ms), new Date(Math.floor(ms)).toISOString(), String(ms));
  }
});
