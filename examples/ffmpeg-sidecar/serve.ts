/**
 * `serveFfmpegSidecar`: the kit's `serveSidecar` (environment, directory checks, listen, graceful
 * SIGTERM/SIGINT) for the ffmpeg sidecar, with ffmpeg searched in the same environment.
 * @module
 */
import { serveSidecar, type ServeSidecarOptions, type ServingSidecar } from "@tntc/sidecar-kit";
import { createFfmpegSidecar, type FfmpegSidecarOptions } from "./sidecar.ts";

/** Options of {@linkcode serveFfmpegSidecar}: the kit's serve options plus the sidecar's. */
export type ServeFfmpegOptions = ServeSidecarOptions & Omit<FfmpegSidecarOptions, "env">;

/**
 * Serves the ffmpeg sidecar on `HOST:PORT` (default `0.0.0.0:9000`) with `SHARED_DIR` as
 * `/shared`, until SIGTERM/SIGINT or `shutdown()`.
 *
 * @param options Environment (a record or lookup; default `Deno.env`), config, logger, signal
 *   handling, fixed binaries, npm fallback switch.
 * @returns The running server (the kit's `ServingSidecar`).
 * @throws {SidecarConfigError} For an invalid environment or a missing `SHARED_DIR`/`TMPDIR`.
 * @example
 * ```ts
 * import { serveFfmpegSidecar } from "./serve.ts";
 * const dir = await Deno.makeTempDir();
 * await using s = await serveFfmpegSidecar({
 *   env: { PORT: "0", HOST: "127.0.0.1", SHARED_DIR: dir, LOG_LEVEL: "error", PATH: "/usr/bin" },
 *   handleSignals: false,
 *   npm: false,
 * });
 * await s.sidecar.ready;
 * const health = await (await fetch(`${s.url}/health`)).json();
 * if (health.status === "ok" && !health.ffmpeg) throw new Error("ffmpeg path missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function serveFfmpegSidecar(options: ServeFfmpegOptions = {}): Promise<ServingSidecar> {
  const { binaries, npm, ...serve } = options;
  const raw = serve.env ?? ((n: string) => Deno.env.get(n));
  const env = typeof raw === "function" ? raw : (n: string) => raw[n];
  const sidecar = createFfmpegSidecar({
    env,
    ...(binaries ? { binaries } : {}),
    ...(npm === undefined ? {} : { npm }),
  });
  return serveSidecar(sidecar, serve);
}
