/**
 * The ffmpeg command line of a frame extraction, as a pure function (unit-tested without ffmpeg).
 * @module
 */

/** Image formats a frame can be written as. */
export type FrameFormat = "jpg" | "png" | "webp";

/** What the command line depends on (validated input, real paths). */
export interface FrameArgsInit {
  /** Real path of the video. */
  input: string;
  /** Real directory the frames go to (fresh per job). */
  outDir: string;
  /** Frames per second of video time (exact mode) or the minimum keyframe spacing (1/fps s). */
  fps: number;
  /** `exact` decodes every frame; `keyframes` decodes keyframes only. */
  mode: "exact" | "keyframes";
  /** Image format. */
  format: FrameFormat;
  /** 1–100, higher is better (jpg, webp). */
  quality?: number | undefined;
  /** Output width in pixels; height keeps the aspect ratio, rounded to an even number. */
  width?: number | undefined;
  /** Seek to this many seconds before extracting. */
  start?: number | undefined;
  /** Extract at most this many seconds. */
  duration?: number | undefined;
  /** Stop after this many frames. */
  maxFrames: number;
}

/** Default quality of lossy formats. */
export const DEFAULT_QUALITY = 90;

/**
 * Keyframes closer than this to the spacing still count as spaced (timestamps are rounded to
 * the stream's time base, so 1.0 s may come out as 0.99996 s).
 */
const SPACING_TOLERANCE_S = 0.001;

/** Builds the arguments after the binary. The output pattern is `frame_%04d.<ext>`. */
export function frameArgs(o: FrameArgsInit): string[] {
  const args = ["-hide_banner", "-nostdin", "-v", "error"];
  if (o.mode === "keyframes") args.push("-skip_frame", "nokey");
  if (o.start !== undefined && o.start > 0) args.push("-ss", seconds(o.start));
  if (o.duration !== undefined) args.push("-t", seconds(o.duration));
  args.push("-i", o.input, "-map", "0:v:0", "-an", "-sn", "-dn");
  const filters: string[] = [];
  if (o.mode === "exact") {
    filters.push(`fps=${o.fps}`);
  } else {
    // Keep a keyframe when at least 1/fps seconds passed since the last kept one.
    const spacing = Math.max(0, 1 / o.fps - SPACING_TOLERANCE_S);
    filters.push(`select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${spacing})'`);
  }
  if (o.width !== undefined) filters.push(`scale=${o.width}:-2`);
  args.push("-vf", filters.join(","));
  // `-vsync vfr` (not 5.1's `-fps_mode`) so the npm fallback's ffmpeg 4.1 understands it too.
  if (o.mode === "keyframes") args.push("-vsync", "vfr");
  args.push(...codecArgs(o.format, o.quality), "-frames:v", String(o.maxFrames));
  args.push(`${o.outDir}/frame_%04d.${o.format}`);
  return args;
}

/** Encoder arguments for one image format and a 1–100 quality. */
export function codecArgs(format: FrameFormat, quality: number | undefined): string[] {
  const q = quality ?? DEFAULT_QUALITY;
  switch (format) {
    case "jpg":
      // mjpeg's qscale runs 2 (best) .. 31 (worst).
      return ["-c:v", "mjpeg", "-q:v", String(Math.round(2 + ((100 - q) * 29) / 99))];
    case "webp":
      return ["-c:v", "libwebp", "-quality", String(Math.round(q)), "-lossless", "0"];
    case "png":
      return ["-c:v", "png"];
  }
}

function seconds(s: number): string {
  return String(Math.round(s * 1e6) / 1e6);
}
