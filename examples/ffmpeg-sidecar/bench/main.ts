/**
 * Benchmark (`deno task bench:ffmpeg`): frame extraction from a generated 60 s 720p H.264 video at
 * 1 fps, in exact and keyframe modes, by (1) ffmpeg run directly, (2) the sidecar over HTTP,
 * (3) ffmpeg run directly with one thread, (4) ffmpeg compiled to WebAssembly (`@ffmpeg/core`) in
 * Deno. Prints a table with each runner's realtime factor and its ratio to the direct run.
 *
 * Flags: `--runs N` native repetitions (default 5, interleaved, median), `--wasm-runs N`
 * (default 1), `--seconds S` video length (default 60), `--no-wasm`.
 * @module
 */
import { parseArgs } from "node:util";
import {
  type Extraction,
  runDirect,
  runSidecar,
  runWasm,
  startSidecar,
  type Timed,
} from "./_runners.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "5" },
    "wasm-runs": { type: "string", default: "1" },
    seconds: { type: "string", default: "60" },
    "no-wasm": { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const wasmRuns = values["no-wasm"] ? 0 : Number(values["wasm-runs"]);
const seconds = Number(values.seconds);
const print = (s: string) => void Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const work = await Deno.makeTempDir({ prefix: "bench-ffmpeg-" });
try {
  const shared = `${work}/shared`;
  await Deno.mkdir(`${shared}/input`, { recursive: true });
  const video = `${shared}/input/video.mp4`;
  print(`generating ${seconds} s 1280x720 H.264 (30 fps, keyframe every 30 frames) ...`);
  const gen = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=1280x720:rate=30",
      "-t",
      String(seconds),
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-g",
      "30",
      "-keyint_min",
      "30",
      "-sc_threshold",
      "0",
      "-pix_fmt",
      "yuv420p",
      video,
    ],
  }).output();
  if (!gen.success) throw new Error(new TextDecoder().decode(gen.stderr));

  await using sidecar = await startSidecar(shared);
  const load = Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
  print(`sidecar ${sidecar.url} using ${sidecar.ffmpeg} (${sidecar.version}); ${runs} runs each`);
  print(`${navigator.hardwareConcurrency} CPUs, load average ${load} before the runs\n`);
  type Row = { mode: string; runner: string; times: number[]; frames: Set<number> };
  const rows: Row[] = [];
  const row = (mode: string, runner: string) => {
    const r: Row = { mode, runner, times: [], frames: new Set() };
    rows.push(r);
    return (t: Timed) => (r.times.push(t.seconds), r.frames.add(t.frames));
  };
  for (const mode of ["exact", "keyframes"] as const) {
    const x: Extraction = { mode, fps: 1 };
    const direct = row(mode, "ffmpeg, direct");
    const viaSidecar = row(mode, "ffmpeg sidecar, HTTP");
    const single = row(mode, "ffmpeg, direct, -threads 1");
    // Warm the page cache and the sidecar once, then interleave so drift hits all alike.
    await runDirect(sidecar.ffmpeg, video, `${work}/warm`, x);
    await runSidecar(sidecar, shared, "/shared/input/video.mp4", x);
    for (let i = 0; i < runs; i++) {
      direct(await runDirect(sidecar.ffmpeg, video, `${work}/direct`, x));
      viaSidecar(await runSidecar(sidecar, shared, "/shared/input/video.mp4", x));
      single(await runDirect(sidecar.ffmpeg, video, `${work}/single`, x, 1));
    }
    const wasm = row(mode, "ffmpeg.wasm (@ffmpeg/core)");
    for (let i = 0; i < wasmRuns; i++) wasm(await runWasm(video, x));
  }

  // The sidecar's cost is per request (HTTP, validation, mkdir, spawn, listing), not per frame.
  // Timed on a tiny clip in back-to-back pairs, it is not drowned by the noise of a busy machine.
  const tiny = `${shared}/input/tiny.mp4`;
  const tinyGen = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "1", tiny],
  }).output();
  if (!tinyGen.success) throw new Error(new TextDecoder().decode(tinyGen.stderr));
  const pairs: number[] = [];
  const tx: Extraction = { mode: "exact", fps: 1 };
  for (let i = 0; i < 3 * runs + 1; i++) {
    const d = await runDirect(sidecar.ffmpeg, tiny, `${work}/tiny`, tx);
    const v = await runSidecar(sidecar, shared, "/shared/input/tiny.mp4", tx);
    if (i > 0) pairs.push(v.seconds - d.seconds); // the first pair warms up
  }
  const fixed = median(pairs);

  const head = ["mode", "runner", "runs", "frames", "median s", "best s", "realtime", "vs direct"];
  const lines = rows.filter((r) => r.times.length > 0).map((r) => {
    const base = median(
      rows.find((d) => d.mode === r.mode && d.runner === "ffmpeg, direct")!.times,
    );
    const t = median(r.times);
    const ratio = t / base;
    const vs = r.runner === "ffmpeg, direct"
      ? "1.00"
      : ratio < 2
      ? `${ratio.toFixed(3)} (${ratio >= 1 ? "+" : ""}${((ratio - 1) * 100).toFixed(1)}%)`
      : `${ratio.toFixed(1)}x slower`;
    return [
      r.mode,
      r.runner,
      String(r.times.length),
      [...r.frames].join("/"),
      t.toFixed(2),
      Math.min(...r.times).toFixed(2),
      `${(seconds / t).toFixed(1)}x`,
      vs,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  print(fmt(head));
  print(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) print(fmt(l));
  print("");
  for (const mode of ["exact", "keyframes"]) {
    const times = (runner: string) =>
      rows.find((x) => x.mode === mode && x.runner === runner)?.times ?? [];
    const m = (runner: string) => times(runner).length > 0 ? median(times(runner)) : undefined;
    const best = (runner: string) => Math.min(...times(runner));
    const d = m("ffmpeg, direct")!;
    const s = m("ffmpeg sidecar, HTTP")!;
    const w = m("ffmpeg.wasm (@ffmpeg/core)");
    const one = m("ffmpeg, direct, -threads 1")!;
    const byBest = best("ffmpeg sidecar, HTTP") / best("ffmpeg, direct") - 1;
    const overhead = `${((s / d - 1) * 100).toFixed(1)}% by median, ${
      (byBest * 100).toFixed(1)
    }% by best run`;
    const wasmText = w === undefined
      ? "wasm skipped"
      : `native sidecar ${(w / s).toFixed(1)}x faster than wasm (${
        (w / one).toFixed(1)
      }x vs native on one thread)`;
    print(`${mode}: sidecar overhead ${overhead} (target <= 5%); ${wasmText}`);
  }
  const ofMode = (mode: string) => {
    const direct = rows.find((r) => r.mode === mode && r.runner === "ffmpeg, direct")!;
    return `${((fixed / median(direct.times)) * 100).toFixed(2)}% of the ${mode} run`;
  };
  print(
    `fixed sidecar cost per request (median of ${pairs.length} paired runs on a 1 s clip): ` +
      `${(fixed * 1000).toFixed(1)} ms = ${ofMode("exact")}, ${ofMode("keyframes")}`,
  );
  print("realtime = video seconds / median wall seconds; the sidecar's time is the client's HTTP");
  print("round trip; wasm times cover exec only (not its ~0.5 s start nor the copy into MEMFS).");
} finally {
  await Deno.remove(work, { recursive: true });
}
