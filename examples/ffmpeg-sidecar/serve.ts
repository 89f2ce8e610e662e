/**
 * `serveFfmpegSidecar`: the kit's `serveSidecar` flow (environment, directory checks, listen,
 * graceful SIGTERM/SIGINT) with the ffmpeg health shape in front of the kit app.
 * @module
 */
import {
  createLogger,
  createSharedPaths,
  createSidecarApp,
  loadConfig,
  type ServeSidecarOptions,
  type ServingSidecar,
  SidecarConfigError,
} from "@tntc/sidecar-kit";
import { withFfmpegHealth } from "./health.ts";
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
export async function serveFfmpegSidecar(
  options: ServeFfmpegOptions = {},
): Promise<ServingSidecar> {
  const raw = options.env ?? ((n: string) => Deno.env.get(n));
  const env = typeof raw === "function" ? raw : (n: string) => raw[n];
  const sidecar = createFfmpegSidecar({
    env,
    ...(options.binaries ? { binaries: options.binaries } : {}),
    ...(options.npm === undefined ? {} : { npm: options.npm }),
  });
  const config = options.config ?? loadConfig(env, { port: sidecar.port });
  await requireDir("SHARED_DIR", config.sharedDir);
  await requireDir("TMPDIR", config.tmpDir);
  const log = options.logger ??
    createLogger({ level: config.logLevel, fields: { sidecar: sidecar.name } });
  const paths = await createSharedPaths(config.sharedDir);
  const app = createSidecarApp(sidecar, { paths, config, logger: log });
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    onListen: (a) =>
      log.info("listening", { host: a.hostname, port: a.port, shared_dir: paths.root }),
  }, withFfmpegHealth(app.app.fetch, sidecar.healthPath));
  const signals: Deno.Signal[] = options.handleSignals === false ? [] : ["SIGTERM", "SIGINT"];
  let stopping: Promise<void> | undefined;
  const onSignal = () => void shutdown();
  const shutdown = (graceMs = config.shutdownGraceMs): Promise<void> =>
    stopping ??= (async () => {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
      log.info("shutting down", { grace_ms: graceMs, active_jobs: app.activeJobs() });
      await app.shutdown(graceMs);
      await server.shutdown();
      log.info("stopped");
    })();
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const bound = server.addr as Deno.NetAddr;
  const host = bound.hostname === "0.0.0.0" ? "127.0.0.1" : bound.hostname;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${bound.port}`,
    port: bound.port,
    sidecar: app,
    shutdown,
    finished: server.finished,
    [Symbol.asyncDispose]: () => shutdown(0),
  };
}

async function requireDir(name: string, dir: string): Promise<void> {
  const info = await Deno.stat(dir).catch((cause) => {
    throw new SidecarConfigError([`${name}="${dir}" does not exist (${String(cause)})`]);
  });
  if (!info.isDirectory) throw new SidecarConfigError([`${name}="${dir}" is not a directory`]);
}
