/**
 * `POST /probe`: `{ input }` → duration, size, container, codecs, frame rate and every stream,
 * from `ffprobe -print_format json -show_format -show_streams`.
 * @module
 */
import { job, type JobContext, type JsonJob, sharedPath } from "@tntc/sidecar-kit";
import { z } from "zod";
import { inputFailure } from "./_ffmpeg_failure.ts";

/** Input schema of `POST /probe`. */
export const probeInput = z.object({
  input: sharedPath({ mustExist: true, kind: "file", description: "The media file" }),
}).strict();

/** The summary of one media file. */
export interface MediaInfo extends Record<string, unknown> {
  /** Seconds, or null when the container does not say. */
  duration: number | null;
  /** File size in bytes. */
  size: number;
  /** Container format name(s), e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  format: string;
  /** Overall bit rate in bit/s, or null. */
  bit_rate: number | null;
  /** The first video stream, or null. */
  video: {
    codec: string;
    width: number;
    height: number;
    frame_rate: number | null;
    pix_fmt: string | null;
    frames: number | null;
  } | null;
  /** The first audio stream, or null. */
  audio: { codec: string; sample_rate: number | null; channels: number | null } | null;
  /** ffprobe's stream objects, unchanged. */
  streams: Record<string, unknown>[];
}

type Raw = { format?: Record<string, unknown>; streams?: Record<string, unknown>[] };

/** Runs ffprobe on a real path; input problems become 422 (see `inputFailure`). */
export async function probeMedia(
  ffprobe: string,
  input: string,
  ctx: Pick<JobContext, "exec" | "paths">,
): Promise<MediaInfo> {
  const argv = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams"];
  let stdout: string;
  try {
    ({ stdout } = await ctx.exec([...argv, input]));
  } catch (error) {
    throw inputFailure(error, ctx.paths, input);
  }
  return summarize(JSON.parse(stdout) as Raw, (await Deno.stat(input)).size);
}

/** Reduces ffprobe's JSON to {@linkcode MediaInfo}. */
export function summarize(raw: Raw, size: number): MediaInfo {
  const streams = raw.streams ?? [];
  const v = streams.find((s) => s.codec_type === "video" && !isCoverArt(s));
  const a = streams.find((s) => s.codec_type === "audio");
  return {
    duration: num(raw.format?.duration),
    size,
    format: String(raw.format?.format_name ?? "unknown"),
    bit_rate: num(raw.format?.bit_rate),
    video: v
      ? {
        codec: String(v.codec_name ?? "unknown"),
        width: Number(v.width ?? 0),
        height: Number(v.height ?? 0),
        frame_rate: rate(v.avg_frame_rate) ?? rate(v.r_frame_rate),
        pix_fmt: typeof v.pix_fmt === "string" ? v.pix_fmt : null,
        frames: num(v.nb_frames),
      }
      : null,
    audio: a
      ? {
        codec: String(a.codec_name ?? "unknown"),
        sample_rate: num(a.sample_rate),
        channels: num(a.channels),
      }
      : null,
    streams,
  };
}

/** Builds the job. `ffprobe()` returns the binary found by the self-check. */
export function probeJob(ffprobe: () => string): JsonJob<typeof probeInput> {
  return job({
    description: "Describe a media file: duration, size, codecs, frame rate, streams",
    input: probeInput,
    run: (input, ctx) => probeMedia(ffprobe(), input.input, ctx),
  });
}

function isCoverArt(s: Record<string, unknown>): boolean {
  const d = s.disposition as Record<string, unknown> | undefined;
  return d?.attached_pic === 1;
}

function num(v: unknown): number | null {
  const n = typeof v === "number" ? v : Number.parseFloat(String(v));
  return Number.isFinite(n) ? n : null;
}

function rate(v: unknown): number | null {
  const m = /^(\d+)\/(\d+)$/.exec(String(v));
  if (!m || Number(m[2]) === 0) return null;
  return Math.round((Number(m[1]) / Number(m[2])) * 1000) / 1000;
}
