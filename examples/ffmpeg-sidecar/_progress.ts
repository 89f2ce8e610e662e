/**
 * Parsing ffmpeg's `-progress pipe:1` output: blocks of `key=value` lines, each ended by
 * `progress=continue` or `progress=end`.
 * @module
 */
import type { Progress } from "@tntc/sidecar-kit";

/** One parsed progress block. */
export interface FfmpegProgress extends Progress {
  /** Position in the output, seconds. */
  out_time_s: number;
  /** Frames written so far. */
  frame: number;
  /** Encoding speed as a multiple of realtime (e.g. 4.2), when ffmpeg knows it. */
  speed: number | null;
  /** `continue` or `end`. */
  state: "continue" | "end";
}

/**
 * Returns a line handler for `onStdoutLine` that calls `emit` once per block. `totalSeconds` (the
 * input's duration) turns the position into `percent` (0–100, rounded to 0.1). Once `signal`
 * (the job's) aborts, nothing more is emitted: ffmpeg stopped by a cancel or a timeout still
 * writes a closing `progress=end` block, which is not 100 % of anything.
 */
export function progressLineParser(
  totalSeconds: number | undefined,
  emit: (p: FfmpegProgress) => void,
  signal?: AbortSignal,
): (line: string) => void {
  let block = new Map<string, string>();
  return (line) => {
    if (signal?.aborted) return;
    const eq = line.indexOf("=");
    if (eq <= 0) return;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key !== "progress") {
      block.set(key, value);
      return;
    }
    // out_time_us and out_time_ms are both microseconds in ffmpeg (a historic misnomer).
    const us = Number(block.get("out_time_us") ?? block.get("out_time_ms"));
    const outTime = Number.isFinite(us) && us > 0 ? us / 1e6 : 0;
    const speed = Number.parseFloat(block.get("speed") ?? "");
    const state = value === "end" ? "end" : "continue";
    const p: FfmpegProgress = {
      out_time_s: Math.round(outTime * 1000) / 1000,
      frame: Number.parseInt(block.get("frame") ?? "0", 10) || 0,
      speed: Number.isFinite(speed) ? speed : null,
      state,
    };
    if (totalSeconds !== undefined && totalSeconds > 0) {
      const pct = state === "end" ? 100 : Math.min(100, (outTime / totalSeconds) * 100);
      p.percent = Math.round(pct * 10) / 10;
    }
    emit(p);
    block = new Map();
  };
}
