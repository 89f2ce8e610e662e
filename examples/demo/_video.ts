/**
 * The demo's sample video: 720p H.264 with two hard cuts (test pattern → colour bars → moving
 * test pattern), so the scene-change analysis has something to find.
 * @module
 */

/** Options of {@linkcode createSampleVideo}. */
export interface SampleVideoOptions {
  /** The ffmpeg executable. */
  ffmpeg: string;
  /** Output `.mp4` path. */
  path: string;
  /** Length in whole seconds, a multiple of 3 (default 30). */
  seconds?: number;
  /** Receives the encoded fraction, 0–1. */
  onProgress?: (fraction: number) => void;
  /** Aborting kills ffmpeg. */
  signal?: AbortSignal;
}

/**
 * Encodes the sample video with the given ffmpeg (system or npm static build).
 *
 * @param options ffmpeg, output path, length, progress callback, signal.
 * @returns The length in seconds.
 * @throws {RangeError} When `seconds` is not a positive multiple of 3.
 * @throws {Error} With ffmpeg's stderr when encoding fails.
 * @example
 * ```ts ignore
 * await createSampleVideo({ ffmpeg: "ffmpeg", path: "/tmp/sample.mp4", seconds: 6 });
 * ```
 */
export async function createSampleVideo(options: SampleVideoOptions): Promise<number> {
  const seconds = options.seconds ?? 30;
  if (!Number.isInteger(seconds) || seconds < 3 || seconds % 3 !== 0) {
    throw new RangeError(
      `the sample length must be a positive multiple of 3 seconds, got ${seconds}`,
    );
  }
  const part = seconds / 3;
  const source = (
    filter: string,
  ) => ["-f", "lavfi", "-i", `${filter}=size=1280x720:rate=25:duration=${part}`];
  const args = [
    "-v",
    "error",
    "-y",
    "-nostats",
    "-progress",
    "pipe:1",
    ...source("testsrc2"),
    ...source("smptehdbars"),
    ...source("testsrc"),
    "-filter_complex",
    "[0:v][1:v][2:v]concat=n=3:v=1[v]",
    "-map",
    "[v]",
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-g",
    "50",
    "-movflags",
    "+faststart",
    options.path,
  ]; // deno-fmt-ignore
  const child = new Deno.Command(options.ffmpeg, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let buffered = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const m = /^out_time=(\d+):(\d+):([\d.]+)$/.exec(line);
      if (m) options.onProgress?.(Math.min(1, (+m[1]! * 3600 + +m[2]! * 60 + +m[3]!) / seconds));
    }
  }
  const status = await child.status;
  if (!status.success) {
    throw new Error(
      `ffmpeg could not create the sample video: ${(await stderr).trim() || status.code}`,
    );
  }
  return seconds;
}
