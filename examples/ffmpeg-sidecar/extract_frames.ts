/**
 * `POST /extract-frames`: the seed guide's job. `{ input, fps = 1, output_dir = "/shared/output" }`
 * → `{ frames, count, duration_ms }`, with `start`, `duration`, `width`, `format`, `quality`,
 * `mode` and `max_frames` on top.
 * @module
 */
import { job, type JsonJob, sharedPath } from "@tntc/sidecar-kit";
import { z } from "zod";
import { inputFailure, startPastEnd } from "./_ffmpeg_failure.ts";
import { frameArgs } from "./_frame_args.ts";
import { probeMedia } from "./probe.ts";

/** Input schema of `POST /extract-frames`. */
export const extractFramesInput = z.object({
  input: sharedPath({
    mustExist: true,
    kind: "file",
    description: "The video, e.g. /shared/input/video.mp4",
  }),
  fps: z.number().positive().max(120).default(1)
    .describe("Frames per second of video time (keyframes mode: at most this many)"),
  output_dir: sharedPath({
    default: "/shared/output",
    description: "Parent directory; frames go to <output_dir>/<job id>/",
  }),
  mode: z.enum(["exact", "keyframes"]).default("exact")
    .describe("exact: one frame every 1/fps s; keyframes: decode keyframes only (fast)"),
  format: z.enum(["jpg", "png", "webp"]).default("jpg"),
  quality: z.number().int().min(1).max(100).optional()
    .describe("1-100, higher is better (jpg, webp; default 90)"),
  width: z.number().int().min(2).max(8192).optional()
    .describe("Output width; the height keeps the aspect ratio (rounded to even)"),
  start: z.number().min(0).optional().describe("Seconds to skip before extracting"),
  duration: z.number().positive().optional().describe("Seconds to extract"),
  max_frames: z.number().int().min(1).max(100_000).default(10_000)
    .describe("Stop after this many frames"),
}).strict().superRefine((v, ctx) => {
  if (v.format === "png" && v.quality !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["quality"],
      message: "png is lossless: quality applies to jpg and webp only",
    });
  }
});

/** Output of `POST /extract-frames` (the kit adds `duration_ms`). */
export const extractFramesOutput = z.object({
  frames: z.array(z.string()),
  count: z.number().int(),
  output_dir: z.string(),
  mode: z.enum(["exact", "keyframes"]),
  truncated: z.boolean(),
});

const FRAME_RE = /^frame_(\d+)\.(jpg|png|webp)$/;

/**
 * Builds the job. `ffmpeg()` returns the binary found by the self-check.
 *
 * Semantics: `exact` runs ffmpeg's `fps` filter (a clip of D seconds gives round(D × fps)
 * frames); `keyframes` decodes only keyframes (`-skip_frame nokey`) and keeps one when at least
 * 1/fps seconds passed since the last kept one, so it never yields more frames than `exact` and
 * yields the same number when the keyframe interval equals 1/fps.
 */
export function extractFramesJob(
  ffmpeg: () => string,
  ffprobe: () => string,
): JsonJob<typeof extractFramesInput> {
  return job({
    description: "Extract frames from a video in the shared directory",
    input: extractFramesInput,
    output: extractFramesOutput,
    run: async (input, ctx) => {
      const outDir = await ctx.outputDir(input.output_dir);
      const argv = [ffmpeg(), ...frameArgs({ ...input, outDir, maxFrames: input.max_frames })];
      try {
        await ctx.exec(argv, { onStderrLine: (line) => ctx.log.debug(line) });
      } catch (error) {
        // Only this job's frames are in its fresh directory: a failed job leaves nothing behind.
        await Deno.remove(outDir, { recursive: true }).catch(() => {});
        throw inputFailure(error, ctx.paths, input.input);
      }
      const frames: { n: number; path: string }[] = [];
      for await (const entry of Deno.readDir(outDir)) {
        const m = FRAME_RE.exec(entry.name);
        if (entry.isFile && m) frames.push({ n: Number(m[1]), path: `${outDir}/${entry.name}` });
      }
      frames.sort((a, b) => a.n - b.n);
      if (frames.length === 0 && input.start !== undefined) {
        // No frame can also be right (fps 0.1 on a 2 s clip); a start past the end is not.
        const { duration } = await probeMedia(ffprobe(), input.input, ctx);
        const late = startPastEnd(input.start, duration, ctx.paths.toVirtual(input.input));
        if (late !== null) {
          await Deno.remove(outDir, { recursive: true }).catch(() => {});
          throw late;
        }
      }
      return {
        frames: frames.map((f) => f.path),
        count: frames.length,
        output_dir: outDir,
        mode: input.mode,
        truncated: frames.length >= input.max_frames,
      };
    },
  });
}
