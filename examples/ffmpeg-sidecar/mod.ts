/**
 * A production ffmpeg sidecar built on the sidecar kit: `POST /extract-frames` (the seed guide's
 * job, plus keyframe mode, seeking, scaling and formats), `POST /probe`, `POST /thumbnail` and
 * `POST /transcode` (async with progress), with `/health` reporting the ffmpeg in use.
 *
 * @example
 * ```ts
 * import { createFfmpegSidecar } from "@tntc/ffmpeg-sidecar";
 * import { startTestSidecar } from "@tntc/sidecar-kit/testing";
 * await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
 *   env: { LOG_LEVEL: "error" },
 * });
 * const res = await t.postJson("probe", { input: "/shared/missing.mp4" });
 * if (res.status !== 400) throw new Error(`expected 400, got ${res.status}`);
 * await res.body?.cancel();
 * ```
 * @module
 */
export { createFfmpegSidecar, FFMPEG_SIDECAR_VERSION } from "./sidecar.ts";
export type { FfmpegSidecarOptions } from "./sidecar.ts";
export { serveFfmpegSidecar } from "./serve.ts";
export type { ServeFfmpegOptions } from "./serve.ts";
export { findFfmpeg } from "./find_ffmpeg.ts";
export type { BinarySource, FfmpegBinaries, FindFfmpegOptions } from "./find_ffmpeg.ts";
// The kit's types, so signatures here that use them (Sidecar, ServingSidecar, ...) resolve in docs.
export type * from "@tntc/sidecar-kit";
