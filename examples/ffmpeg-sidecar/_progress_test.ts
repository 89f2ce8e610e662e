import assert from "node:assert/strict";
import { type FfmpegProgress, progressLineParser } from "./_progress.ts";

const BLOCK = (us: number, frame: number, end = false) => [
  `frame=${frame}`,
  "fps=120.5",
  `out_time_us=${us}`,
  `out_time_ms=${us}`,
  "out_time=00:00:01.000000",
  "speed=4.02x",
  `progress=${end ? "end" : "continue"}`,
];

Deno.test("progressLineParser() emits one update per block with percent of the total", () => {
  const seen: FfmpegProgress[] = [];
  const line = progressLineParser(4, (p) => seen.push(p));
  for (
    const l of [...BLOCK(1_000_000, 30), ...BLOCK(3_990_000, 119), ...BLOCK(4_000_000, 120, true)]
  ) line(l);
  assert.deepEqual(seen, [
    { out_time_s: 1, frame: 30, speed: 4.02, state: "continue", percent: 25 },
    { out_time_s: 3.99, frame: 119, speed: 4.02, state: "continue", percent: 99.8 },
    { out_time_s: 4, frame: 120, speed: 4.02, state: "end", percent: 100 },
  ]);
});

Deno.test("progressLineParser() copes with N/A values and an unknown duration", () => {
  const seen: FfmpegProgress[] = [];
  const line = progressLineParser(undefined, (p) => seen.push(p));
  for (const l of ["frame=0", "out_time_us=N/A", "speed=N/A", "garbage", "progress=continue"]) {
    line(l);
  }
  assert.deepEqual(seen, [{ out_time_s: 0, frame: 0, speed: null, state: "continue" }]);
});

Deno.test("progressLineParser() stops once the job's signal aborts: a killed ffmpeg's last block is no 100 %", () => {
  const seen: FfmpegProgress[] = [];
  const job = new AbortController();
  const line = progressLineParser(4, (p) => seen.push(p), job.signal);
  for (const l of BLOCK(1_000_000, 30)) line(l);
  job.abort(); // cancelled: the kit now stops ffmpeg, which writes a closing block
  for (const l of BLOCK(1_100_000, 33, true)) line(l);
  assert.deepEqual(seen, [{
    out_time_s: 1,
    frame: 30,
    speed: 4.02,
    state: "continue",
    percent: 25,
  }]);
});
