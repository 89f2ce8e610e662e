/**
 * Test media made with the real ffmpeg (from `PATH`): clips with a known duration and a hard
 * cut, and single JPEG frames in several pixel formats.
 * @module
 */

/** Options of {@linkcode makeClip}. */
export interface ClipOptions {
  /** Seconds of test pattern before the cut. */
  before: number;
  /** Seconds of SMPTE bars after the cut (0: no cut). */
  after?: number;
  /** Frame size (default `320x240`). */
  size?: string;
}

/**
 * Writes an H.264 MP4: `testsrc2` for `before` seconds, then `smptehdbars` for `after` seconds.
 *
 * @param path Output file.
 * @param options Durations and size.
 * @returns `path`.
 * @throws {Error} With ffmpeg's stderr when it fails.
 * @example
 * ```ts ignore
 * await makeClip("/tmp/clip.mp4", { before: 2, after: 2 });
 * ```
 */
export async function makeClip(path: string, options: ClipOptions): Promise<string> {
  const size = options.size ?? "320x240";
  const after = options.after ?? 0;
  const inputs = ["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=25:duration=${options.before}`];
  if (after > 0) {
    inputs.push("-f", "lavfi", "-i", `smptehdbars=size=${size}:rate=25:duration=${after}`);
  }
  const filter = after > 0 ? ["-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]"] : [];
  await ffmpeg([
    ...inputs,
    ...filter,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-g",
    "25",
    path,
  ]);
  return path;
}

/**
 * Writes one JPEG of a lavfi source.
 *
 * @param path Output file.
 * @param source e.g. `testsrc2=size=64x48` or `color=c=gray:size=32x32`.
 * @param pixFmt e.g. `yuvj420p`, `yuvj444p`, `gray`.
 * @returns `path`.
 * @throws {Error} With ffmpeg's stderr when it fails.
 * @example
 * ```ts ignore
 * await makeJpeg("/tmp/a.jpg", "testsrc2=size=64x48", "yuvj420p");
 * ```
 */
export async function makeJpeg(path: string, source: string, pixFmt: string): Promise<string> {
  await ffmpeg(["-f", "lavfi", "-i", source, "-frames:v", "1", "-pix_fmt", pixFmt, path]);
  return path;
}

/**
 * ffmpeg's own mean luma of an image (`signalstats` YAVG), the reference for the decoder.
 *
 * @param path An image.
 * @returns Mean Y, 0–255.
 * @throws {Error} When ffmpeg fails or prints no YAVG.
 * @example
 * ```ts ignore
 * const y = await ffmpegMeanLuma("/tmp/a.jpg");
 * ```
 */
export async function ffmpegMeanLuma(path: string): Promise<number> {
  const out = await ffmpeg([
    "-i",
    path,
    "-vf",
    "signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-",
    "-f",
    "null",
    "-",
  ]);
  const match = /YAVG=([\d.]+)/.exec(out);
  if (!match) throw new Error(`no YAVG in ffmpeg output: ${out}`);
  return Number(match[1]);
}

async function ffmpeg(args: string[]): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-y", ...args],
  }).output();
  if (!success) {
    throw new Error(`ffmpeg ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}
