/**
 * `POST /transcode`: `{ input, output, video_codec, audio_codec, width, crf, preset, start,
 * duration }` → the encoded file. Long jobs: send `Prefer: respond-async` and follow
 * `GET /jobs/:id/events`; progress comes from ffmpeg's `-progress pipe:1`.
 * @module
 */
import { job, type JsonJob, sharedPath, SidecarHttpError } from "@tntc/sidecar-kit";
import { z } from "zod";
import { inputFailure, startPastEnd } from "./_ffmpeg_failure.ts";
import { prepareOutput } from "./_output_file.ts";
import { progressLineParser } from "./_progress.ts";
import { type MediaInfo, probeMedia } from "./probe.ts";

const VIDEO = { h264: "libx264", hevc: "libx265", vp9: "libvpx-vp9" } as const;
const AUDIO = { aac: "aac", opus: "libopus", mp3: "libmp3lame" } as const;
type VideoCodec = keyof typeof VIDEO;
type AudioCodec = keyof typeof AUDIO;

/**
 * The containers `output` may name by its extension, with the codecs each holds; the first is
 * the default when the request names none. An empty video list means audio only.
 */
const CONTAINERS: Record<string, { video: readonly VideoCodec[]; audio: readonly AudioCodec[] }> = {
  ".mp4": { video: ["h264", "hevc", "vp9"], audio: ["aac", "mp3", "opus"] },
  ".m4v": { video: ["h264"], audio: ["aac"] }, // ffmpeg's ipod muxer takes no more
  ".mov": { video: ["h264", "hevc"], audio: ["aac", "mp3"] },
  ".mkv": { video: ["h264", "hevc", "vp9"], audio: ["aac", "opus", "mp3"] },
  ".webm": { video: ["vp9"], audio: ["opus"] },
  ".ts": { video: ["h264", "hevc"], audio: ["aac", "mp3"] },
  ".mp3": { video: [], audio: ["mp3"] },
  ".m4a": { video: [], audio: ["aac"] },
  ".ogg": { video: [], audio: ["opus"] },
  ".opus": { video: [], audio: ["opus"] },
};

function containerOf(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot > path.lastIndexOf("/") ? path.slice(dot).toLowerCase() : "";
}

/** Input schema of `POST /transcode`. */
export const transcodeInput = z.object({
  input: sharedPath({ mustExist: true, kind: "file", description: "The source media" }),
  output: sharedPath({
    description: `File to write; its extension picks the container (${
      Object.keys(CONTAINERS).join(", ")
    })`,
  }),
  video_codec: z.enum(["h264", "hevc", "vp9", "copy", "none"]).optional()
    .describe("Default: the container's first (h264; vp9 for .webm; none for audio files)"),
  audio_codec: z.enum(["aac", "opus", "mp3", "copy", "none"]).optional()
    .describe("Default: the container's first (aac; opus for .webm, .ogg, .opus; mp3 for .mp3)"),
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
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  const ext = containerOf(v.output);
  const container = CONTAINERS[ext];
  const { video, audio } = codecsFor(v, container);
  if (container === undefined) {
    const what = ext === "" ? "has no extension" : `"${ext}" is not a container this job writes`;
    issue("output", `${what} (supported: ${Object.keys(CONTAINERS).join(", ")})`);
  } else {
    const audioOnly = container.video.length === 0;
    if (audioOnly && video !== "none") {
      issue("video_codec", `${ext} holds audio only: leave video_codec out or set it to "none"`);
    } else if (video !== "copy" && video !== "none" && !container.video.includes(video)) {
      const allowed = [...container.video, "copy", "none"].join(", ");
      issue("video_codec", `"${video}" cannot go into ${ext} (allowed there: ${allowed})`);
    }
    if (audio !== "copy" && audio !== "none" && !container.audio.includes(audio)) {
      const allowed = [...container.audio, "copy", "none"].join(", ");
      issue("audio_codec", `"${audio}" cannot go into ${ext} (allowed there: ${allowed})`);
    }
  }
  const encodes = video !== "copy" && video !== "none";
  for (const key of ["width", "crf", "preset"] as const) {
    if (v[key] !== undefined && !encodes) {
      issue(key, `needs an encoding video_codec (h264, hevc, vp9), not "${video}"`);
    }
  }
  if (v.preset !== undefined && video === "vp9") issue("preset", "applies to h264 and hevc only");
  if (video === "none" && audio === "none") {
    issue("audio_codec", "video and audio cannot both be none");
  }
}).transform((v) => {
  const { video, audio } = codecsFor(v, CONTAINERS[containerOf(v.output)]);
  return { ...v, video_codec: video, audio_codec: audio };
});

/** The codecs a request gets: its own, else its container's first (h264 and aac elsewhere). */
function codecsFor(
  v: { video_codec?: VideoCodec | "copy" | "none"; audio_codec?: AudioCodec | "copy" | "none" },
  container: { video: readonly VideoCodec[]; audio: readonly AudioCodec[] } | undefined,
): { video: VideoCodec | "copy" | "none"; audio: AudioCodec | "copy" | "none" } {
  const video = v.video_codec ?? (container === undefined ? "h264" : container.video[0] ?? "none");
  return { video, audio: v.audio_codec ?? container?.audio[0] ?? "aac" };
}

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
      const late = startPastEnd(input.start, info.duration, ctx.paths.toVirtual(input.input));
      if (late !== null) throw late;
      const mismatch = streamMismatch(input, info, ctx.paths.toVirtual(input.input));
      if (mismatch !== null) throw new SidecarHttpError(422, mismatch);
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

/**
 * What the input's streams make impossible, or null: a `copy` of a codec the output container
 * cannot hold, or nothing at all to write (ffmpeg would fail on both). A stream the input lacks
 * is otherwise fine: the output simply has none.
 */
function streamMismatch(
  input: z.output<typeof transcodeInput>,
  info: MediaInfo,
  shown: string,
): string | null {
  const ext = containerOf(input.output);
  const container = CONTAINERS[ext]!;
  for (const kind of ["video", "audio"] as const) {
    const chosen = kind === "video" ? input.video_codec : input.audio_codec;
    const stream = info[kind];
    const holds: readonly string[] = container[kind];
    if (chosen === "copy" && stream !== null && !holds.includes(stream.codec)) {
      return `${kind}_codec "copy": the input's ${kind} is ${stream.codec}, which ${ext} cannot ` +
        `hold (it holds ${holds.join(", ") || "no video"}): encode it instead`;
    }
  }
  const video = input.video_codec !== "none" && info.video !== null;
  const audio = input.audio_codec !== "none" && info.audio !== null;
  if (!video && !audio) {
    // Both codecs "none" is refused by the schema: here the input lacks the one stream kept.
    const only = info.video
      ? "only a video stream"
      : info.audio
      ? "only an audio stream"
      : "no stream";
    return `nothing to write into ${ext}: input "${shown}" has ${only}, and video_codec is ` +
      `"${input.video_codec}", audio_codec "${input.audio_codec}"`;
  }
  return null;
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
