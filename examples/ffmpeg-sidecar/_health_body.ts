/**
 * The `/health` shape the issue asks for, `{ "status": "ok", "ffmpeg": "<path>", "version":
 * "..." }`, made by the kit's `healthBody` hook (a `HealthBody`) from the self-check's findings.
 * @module
 */
/**
 * Puts the self-check's findings at the top level: `ffmpeg` (path), `version` (ffmpeg's),
 * `ffprobe`, `sources`, and this sidecar's `sidecar` name and `sidecar_version` (the kit's
 * default would nest the findings under `info` and use `version` for the sidecar's own).
 *
 * @param info What the ffmpeg self-check returned.
 * @param sidecar Name and version of the sidecar.
 * @returns The fields next to `status: "ok"`.
 * @example
 * ```ts
 * import { ffmpegHealthBody } from "./_health_body.ts";
 * const body = ffmpegHealthBody(
 *   { ffmpeg: "/usr/bin/ffmpeg", version: "5.1", ffprobe: "/usr/bin/ffprobe", sources: {} },
 *   { name: "ffmpeg", version: "0.1.0" },
 * );
 * if (body.ffmpeg !== "/usr/bin/ffmpeg" || body.sidecar_version !== "0.1.0") throw new Error();
 * ```
 */
export function ffmpegHealthBody(
  info: Record<string, unknown>,
  sidecar: { readonly name: string; readonly version: string },
): Record<string, unknown> {
  return {
    ffmpeg: info.ffmpeg,
    version: info.version,
    ffprobe: info.ffprobe,
    sources: info.sources,
    sidecar: sidecar.name,
    sidecar_version: sidecar.version,
  };
}
