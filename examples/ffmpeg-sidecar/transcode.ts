/**
 * `POST /transcode`: `{ input, output, video_codec, audio_codec, width, crf, preset, start,
 * duration }` → the encoded file. Long jobs: send `Prefer: respond-async` and follow
 * `GET /jobs/:id/events`; progress comes from ffmpeg's `-progress pipe:1`.
 * @module
 */
import { job, type JsonJob, sharedPath } from "@tntc/sidecar-kit";
import { z } from "zod";
import { inputFailure } from "./_ffmpeg_failure.ts";
import { prepareOutput } from "./_output_file.ts";
import { progressLineParser } from "./_progress.ts";
import { probeMedia } from "./probe.ts";

const VIDEO = { h264: "libx264", hevc: "libx265", vp9: "libvpx-vp9" } as const;
const AUDIO = { aac: "aac", opus: "libopus", mp3: "libmp3lame" } as const;

/** Input schema of `POST /transcode`. */
export const transcodeInput = z.object({
  input: sharedPath({ mustExist: true, kind: "file", description: "The source media" }),
  output: sharedPath({ description: "File to write; the container follows its extension" })
    .refine(
      (path) => /\.[A-Za-z0-9]{2,5}$/.test(path),
      "must end in a container extension like .mp4",
    ),
  video_codec: z.enum(["h264", "hevc", "vp9", "copy", "none"]).default("h264"),
  audio_codec: z.enum(["aac", "opus", "mp3", "copy", "none"]).default("aac"),
  width: z.number().int().min(2).max(8192).optional()
    .describe("Output width; the height keeps the aspect ratio"),
  crf: z.number().int().min(0).max(63).optional().describe("Constant quality (x264/x265: 0-51)"),
  preset: z.enum([
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
  ]).optional().describe("x264/x265 speed preset"),
  start: z.number().min(0).optional().describe("Seconds to skip"),
  duration: z.number().positive().optional().describe("Seconds to encode"),
}).strict().superRefine((v, ctx) => {
  const encodes = v.video_codec !== "copy" && v.video_codec !== "none";
  for (const key of ["width", "crf", "preset"] as const) {
    if (v[key] !== undefined && !encodes) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `needs an encoding video_codec (h264, hevc, vp9), not "${v.video_codec}"`,
      });
    }
  }
  if (v.preset !== undefined && v.video_codec === "vp9") {
    ctx.addIssue({ code: "custom", path: ["preset"], message: "applies to h264 and hevc only" });
  }
  if (v.video_codec === "none" && v.audio_codec === "none") {
    ctx.addIssue({
      code: "custom",
      path: ["audio_codec"],
      message: "video and audio cannot both be none",
    });
  }
});

/** Builds the job. */
export function transcodeJob(
  ffmpeg: () => string,
  ffprobe: () => string,
): JsonJob<typeof transcodeInput> {
  return job({
    description: "Transcode a media file (use Prefer: respond-async for progress events)",
    input: transcodeInput,
    run: async (input, ctx) => {
      const info = await probeMedia(ffprobe(), input.input, ctx);
      const span = Math.max(0, (info.duration ?? 0) - (input.start ?? 0));
      const total = input.duration === undefined ? span : Math.min(span, input.duration);
      const out = await prepareOutput(ctx.paths, input.output, input.input, ctx.id);
      const argv = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-nostats"];
      if (input.start) argv.push("-ss", String(input.start));
      if (input.duration) argv.push("-t", String(input.duration));
      argv.push("-i", input.input, ...streamArgs(input), "-progress", "pipe:1", "-y", out.partial);
      ctx.progress({ percent: 0, message: "started" });
      try {
        await ctx.exec(argv, {
          onStdoutLine: progressLineParser(total || undefined, ctx.progress, ctx.signal),
        });
        await out.commit();
      } catch (error) {
        throw inputFailure(error, ctx.paths, input.input);
      } finally {
        await out.discard();
      }
      const size = (await Deno.stat(input.output)).size;
      return { output: input.output, size, input_duration: info.duration, encoded_seconds: total };
    },
  });
}

function streamArgs(input: z.output<typeof transcodeInput>): string[] {
  const args: string[] = [];
  if (input.video_codec === "none") args.push("-vn");
  else if (input.video_codec === "copy") args.push("-c:v", "copy");
  else {
    args.push("-c:v", VIDEO[input.video_codec]);
    if (input.crf !== undefined) args.push("-crf", String(input.crf));
    if (input.video_codec === "vp9" && input.crf !== undefined) args.push("-b:v", "0");
    if (input.preset) args.push("-preset", input.preset);
    if (input.width !== undefined) args.push("-vf", `scale=${input.width}:-2`);
    if (input.video_codec !== "vp9") args.push("-pix_fmt", "yuv420p");
  }
  if (input.audio_codec === "none") args.push("-an");
  else if (input.audio_codec === "copy") args.push("-c:a", "copy");
  else args.push("-c:a", AUDIO[input.audio_codec]);
  return args;
}
