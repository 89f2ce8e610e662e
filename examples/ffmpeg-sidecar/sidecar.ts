/**
 * The ffmpeg sidecar definition: a self-check that finds ffmpeg/ffprobe and reads the version,
 * and the jobs `extract-frames`, `probe`, `thumbnail` and `transcode`.
 * @module
 */
import { defineSidecar, type Sidecar } from "@tntc/sidecar-kit";
import { extractFramesJob } from "./extract_frames.ts";
import { ffmpegHealthBody } from "./_health_body.ts";
import { type FfmpegBinaries, findFfmpeg } from "./find_ffmpeg.ts";
import { probeJob } from "./probe.ts";
import { thumbnailJob } from "./thumbnail.ts";
import { transcodeJob } from "./transcode.ts";

/** Version of this sidecar (shown in `/health` as `sidecar_version` and in OpenAPI). */
export const FFMPEG_SIDECAR_VERSION = "0.1.0";

/** Options of {@linkcode createFfmpegSidecar}. */
export interface FfmpegSidecarOptions {
  /** Use these binaries instead of searching (the self-check still runs `ffmpeg -version`). */
  binaries?: FfmpegBinaries;
  /** Environment lookup for the search (default `Deno.env.get`). */
  env?: (name: string) => string | undefined;
  /** Allow the npm fallback when ffmpeg is not on `PATH` (default true). */
  npm?: boolean;
}

/**
 * Builds the sidecar: name `ffmpeg`, port 9000. The self-check finds the binaries (see
 * `findFfmpeg`) and parses `ffmpeg -version`; until it passes `/health` answers 503 and jobs are
 * refused. Its findings are what `/health` reports: `{ status: "ok", ffmpeg, version, ffprobe,
 * sources, sidecar, sidecar_version }`.
 *
 * @param options Fixed binaries, environment, npm fallback switch.
 * @returns The sidecar, for `serveFfmpegSidecar`, `createSidecarApp` or `startTestSidecar`.
 * @example
 * ```ts
 * import { createFfmpegSidecar } from "./sidecar.ts";
 * const sidecar = createFfmpegSidecar({ npm: false });
 * if (sidecar.port !== 9000 || !("extract-frames" in sidecar.jobs)) throw new Error("shape");
 * ```
 */
export function createFfmpegSidecar(options: FfmpegSidecarOptions = {}): Sidecar {
  let found = options.binaries;
  // Jobs are admitted only after the self-check passed, so `found` is set when they run.
  const ffmpeg = () => found!.ffmpeg;
  const ffprobe = () => found!.ffprobe;
  return defineSidecar({
    name: "ffmpeg",
    version: FFMPEG_SIDECAR_VERSION,
    port: 9000,
    healthBody: ffmpegHealthBody,
    check: async ({ exec, log }) => {
      found ??= await findFfmpeg({
        ...(options.env ? { env: options.env } : {}),
        ...(options.npm === undefined ? {} : { npm: options.npm }),
      });
      const { stdout } = await exec([found.ffmpeg, "-hide_banner", "-version"]);
      const version = /^ffmpeg version (\S+)/m.exec(stdout)?.[1];
      if (version === undefined) {
        throw new Error(
          `${found.ffmpeg} -version did not print "ffmpeg version ...": "${stdout.slice(0, 200)}"`,
        );
      }
      await exec([found.ffprobe, "-hide_banner", "-version"]);
      log.info("ffmpeg found", { ffmpeg: found.ffmpeg, ffprobe: found.ffprobe, version });
      return { ffmpeg: found.ffmpeg, ffprobe: found.ffprobe, version, sources: found.sources };
    },
    jobs: {
      "extract-frames": extractFramesJob(ffmpeg, ffprobe),
      probe: probeJob(ffprobe),
      thumbnail: thumbnailJob(ffmpeg, ffprobe),
      transcode: transcodeJob(ffmpeg, ffprobe),
    },
  });
}
