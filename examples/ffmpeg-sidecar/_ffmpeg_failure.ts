/**
 * Turning an ffmpeg/ffprobe failure caused by the input (not a video, corrupt, no video stream)
 * into a 422 that quotes ffmpeg's own reason, with pod-form paths.
 * @module
 */
import { ProcessError, type SharedPaths, SidecarHttpError } from "@tntc/sidecar-kit";

const INPUT_PROBLEM =
  /Invalid data found|moov atom not found|does not contain any stream|matches no streams|could not find codec parameters|Error opening input/i;

/** Replaces the real shared root by `/shared` so messages match what the client sent. */
export function virtualText(paths: SharedPaths, text: string): string {
  return text.replaceAll(`${paths.root}/`, `${paths.virtualRoot}/`);
}

/** The last error lines ffmpeg printed (`-v error` prints little else), in pod form. */
export function ffmpegReason(paths: SharedPaths, stderr: string): string {
  const lines = virtualText(paths, stderr).split("\n")
    .map((l) => l.replace(/ @ 0x[0-9a-f]+\]/, "]").trim())
    .filter((l) => l && !/^(Conversion failed!|Exiting normally)/.test(l));
  // The last few distinct lines: e.g. "[mov,mp4,...] moov atom not found; <file>: Invalid data".
  return [...new Set(lines.slice(-3))].join("; ").slice(0, 500);
}

/**
 * Maps `error` to a 422 when it is a tool exit whose stderr blames the input (names the input
 * file or matches ffmpeg's demuxer/decoder messages); anything else is returned unchanged.
 */
export function inputFailure(
  error: unknown,
  paths: SharedPaths,
  inputReal: string,
): unknown {
  if (!(error instanceof ProcessError) || error.reason !== "exit") return error;
  const stderr = error.stderrTail;
  if (!stderr.includes(inputReal) && !INPUT_PROBLEM.test(stderr)) return error;
  const input = paths.toVirtual(inputReal);
  const reason = ffmpegReason(paths, stderr);
  const noStream = /does not contain any stream|matches no streams/i.test(stderr);
  const what = noStream ? "has no video stream" : "is not a readable video";
  return new SidecarHttpError(422, `input "${input}" ${what}: ${reason}`, {
    input,
    tool: error.argv[0]?.split("/").at(-1) ?? null,
    exit_code: error.code,
    reason,
  }, { cause: error });
}

/**
 * The 422 for a `start` at or past the end of the input, or null when it is before the end (or
 * the length is unknown).
 *
 * @param start The requested start in seconds.
 * @param duration The input's length in seconds, from ffprobe.
 * @param shown The input as the client named it (pod form).
 */
export function startPastEnd(
  start: number | undefined,
  duration: number | null,
  shown: string,
): SidecarHttpError | null {
  if (start === undefined || duration === null || start < duration) return null;
  return new SidecarHttpError(
    422,
    `start ${start} s is at or past the end: input "${shown}" is ${duration} s long`,
    { start, duration },
  );
}
