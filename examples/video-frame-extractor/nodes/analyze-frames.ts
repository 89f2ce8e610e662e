/**
 * Node `analyze-frames`: reads the extracted JPEG frames from the shared volume and measures
 * each one without an external API — mean brightness, and a scene-change score against the
 * previous frame — then returns a summary.
 *
 * Each frame is decoded at 1/8 scale (one mean per 8×8 luma block, see `lib/jpeg_luma.ts`).
 * @module
 */
import type { Context } from "tentacular";
import { decodeJpegLuma, type LumaGrid } from "../lib/jpeg_luma.ts";

/** What this node returns for one frame. */
export interface FrameStats {
  index: number;
  path: string;
  atSeconds: number;
  bytes: number;
  brightness: number;
  change: number;
}

/** The summary this node returns. */
export interface FrameAnalysis {
  frameCount: number;
  width: number;
  height: number;
  /** Directory of the frames (pod form, `/shared/output/<job>`). */
  framesDir: string | null;
  meanBrightness: number;
  brightest: FrameStats | null;
  darkest: FrameStats | null;
  /** Frames whose change against the previous frame is at least `config.scene_threshold`. */
  sceneChanges: FrameStats[];
  frames: FrameStats[];
  analyzeMs: number;
}

/**
 * Analyzes the frames named by `input.frames` (the output of `extract-frames`).
 *
 * @param ctx Node context: `config.fps` (default 1) dates frames, `config.scene_threshold`
 *   (default 0.12, mean luma difference as a fraction of 255) marks scene changes.
 * @param input `{ frames: string[] }` with `/shared/...` paths.
 * @returns A {@linkcode FrameAnalysis}.
 * @throws {TypeError} When `input.frames` is not an array of `/shared/...` paths.
 * @throws {Error} Naming the frame when one cannot be read or decoded.
 */
export default async function run(ctx: Context, input: unknown): Promise<FrameAnalysis> {
  const started = performance.now();
  const frames = framePaths(ctx, input);
  const fps = positiveNumber(ctx.config.fps, 1, "config.fps");
  const threshold = positiveNumber(ctx.config.scene_threshold, 0.12, "config.scene_threshold");
  const stats: FrameStats[] = [];
  let previous: LumaGrid | undefined;
  let size = { width: 0, height: 0 };
  for (const [i, path] of frames.entries()) {
    ctx.signal.throwIfAborted();
    let bytes: Uint8Array, grid: LumaGrid;
    try {
      bytes = await Deno.readFile(ctx.sharedPath(path));
      grid = decodeJpegLuma(bytes);
    } catch (error) {
      throw new Error(`frame ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (i === 0) size = { width: grid.width, height: grid.height };
    stats.push({
      index: i + 1,
      path,
      atSeconds: round(i / fps, 3),
      bytes: bytes.length,
      brightness: round(meanLuma(grid), 2),
      change: previous ? round(difference(previous, grid), 4) : 0,
    });
    previous = grid;
  }
  const byBrightness = [...stats].sort((a, b) => a.brightness - b.brightness);
  ctx.log.info(`analyzed ${stats.length} frames`, { ms: Math.round(performance.now() - started) });
  return {
    frameCount: stats.length,
    ...size,
    framesDir: frames[0]?.slice(0, frames[0].lastIndexOf("/")) ?? null,
    meanBrightness: round(mean(stats.map((s) => s.brightness)), 2),
    brightest: byBrightness.at(-1) ?? null,
    darkest: byBrightness[0] ?? null,
    sceneChanges: stats.filter((s) => s.index > 1 && s.change >= threshold),
    frames: stats,
    analyzeMs: Math.round(performance.now() - started),
  };
}

/**
 * Mean absolute luma difference of two frames as a fraction of 255 (1 when sizes differ).
 *
 * @param a A frame.
 * @param b The next frame.
 * @returns 0 (identical) to 1.
 */
export function difference(a: LumaGrid, b: LumaGrid): number {
  if (a.cols !== b.cols || a.rows !== b.rows) return 1;
  let sum = 0;
  for (let i = 0; i < a.luma.length; i++) sum += Math.abs(a.luma[i]! - b.luma[i]!);
  return a.luma.length === 0 ? 0 : sum / a.luma.length / 255;
}

/**
 * Mean brightness of a frame: block means weighted by how much of each edge block lies inside
 * the image (the encoder pads partial blocks).
 *
 * @param grid A decoded frame.
 * @returns 0–255.
 */
export function meanLuma(grid: LumaGrid): number {
  const lastW = grid.width - (grid.cols - 1) * 8, lastH = grid.height - (grid.rows - 1) * 8;
  let sum = 0, weight = 0;
  for (let r = 0; r < grid.rows; r++) {
    const h = r === grid.rows - 1 ? lastH : 8;
    for (let c = 0; c < grid.cols; c++) {
      const w = (c === grid.cols - 1 ? lastW : 8) * h;
      sum += grid.luma[r * grid.cols + c]! * w;
      weight += w;
    }
  }
  return weight === 0 ? 0 : sum / weight;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? 0 : sum / values.length;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function framePaths(ctx: Context, input: unknown): string[] {
  const frames = (input as { frames?: unknown } | null)?.frames;
  const inShared = (f: unknown) => {
    try {
      return typeof f === "string" && f.startsWith("/shared/") && ctx.sharedPath(f) !== "";
    } catch {
      return false; // leaves /shared through ".."
    }
  };
  if (!Array.isArray(frames) || !frames.every(inShared)) {
    throw new TypeError(
      `analyze-frames: input.frames must be an array of /shared/... paths, got ${
        JSON.stringify(frames)?.slice(0, 200)
      }`,
    );
  }
  return frames;
}

function positiveNumber(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value > 0)) {
    throw new TypeError(
      `analyze-frames: ${name} must be a positive number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
