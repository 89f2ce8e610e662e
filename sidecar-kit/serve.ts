/**
 * `serveSidecar`: read the environment, check the shared and temp directories, listen, and stop
 * gracefully on SIGTERM/SIGINT (503 for new work, drain, cancel the rest, close).
 * @module
 */
import { createSidecarApp, type SidecarApp } from "./app.ts";
import { loadConfig, type SidecarConfig, SidecarConfigError } from "./config.ts";
import { createLogger, type JsonLogger } from "./log.ts";
import { createSharedPaths } from "./shared_paths.ts";
import type { Sidecar } from "./types.ts";

/** Options of {@linkcode serveSidecar}. */
export interface ServeSidecarOptions {
  /** Environment lookup (default `Deno.env`); ignored when `config` is given. */
  env?: Record<string, string | undefined> | ((name: string) => string | undefined);
  /** Settings (default: from `env`). */
  config?: SidecarConfig;
  /** Logger (default: JSON lines on stdout). */
  logger?: JsonLogger;
  /** Handle SIGTERM and SIGINT with a graceful shutdown (default true). */
  handleSignals?: boolean;
}

/** A listening sidecar. */
export interface ServingSidecar {
  /** Base URL, e.g. `http://127.0.0.1:9000`. */
  url: string;
  /** Bound port (useful with `PORT=0`). */
  port: number;
  /** The application and its lifecycle. */
  sidecar: SidecarApp;
  /** Graceful stop (same as SIGTERM); resolves when the server closed. */
  shutdown(graceMs?: number): Promise<void>;
  /** Settles when the server has closed. */
  finished: Promise<void>;
  /** `await using` support: immediate stop. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a sidecar on `HOST:PORT` until SIGTERM/SIGINT or `shutdown()`.
 *
 * @param sidecar From `defineSidecar`.
 * @param options Environment, config, logger, signal handling.
 * @returns The running server.
 * @throws {SidecarConfigError} For an invalid environment or a missing `SHARED_DIR`/`TMPDIR`.
 * @example
 * ```ts
 * import { defineSidecar, job, serveSidecar } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const dir = await Deno.makeTempDir();
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   jobs: { ping: job({ input: z.object({}), run: () => ({ pong: true }) }) },
 * });
 * await using s = await serveSidecar(sidecar, {
 *   env: { PORT: "0", HOST: "127.0.0.1", SHARED_DIR: dir, LOG_LEVEL: "error" },
 *   handleSignals: false,
 * });
 * await s.sidecar.ready;
 * const res = await fetch(`${s.url}/health`);
 * if (res.status !== 200) throw new Error(await res.text());
 * await Deno.remove(dir);
 * ```
 */
export async function serveSidecar(
  sidecar: Sidecar,
  options: ServeSidecarOptions = {},
): Promise<ServingSidecar> {
  const config = options.config ?? loadConfig(options.env, { port: sidecar.port });
  await requireDir("SHARED_DIR", config.sharedDir);
  await requireDir("TMPDIR", config.tmpDir);
  const log = options.logger ??
    createLogger({ level: config.logLevel, fields: { sidecar: sidecar.name } });
  const paths = await createSharedPaths(config.sharedDir);
  const app = createSidecarApp(sidecar, { paths, config, logger: log });
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: config.host,
      port: config.port,
      onListen: (addr) => {
        log.info("listening", { host: addr.hostname, port: addr.port, shared_dir: paths.root });
      },
    }, (req) => app.app.fetch(req));
  } catch (cause) {
    await app.shutdown(0);
    if (
      !(cause instanceof Deno.errors.AddrInUse || cause instanceof Deno.errors.AddrNotAvailable)
    ) {
      throw cause;
    }
    throw new SidecarConfigError([
      `cannot listen on ${config.host}:${config.port}: ${(cause as Error).message}; set PORT ` +
      "(or HOST) to a free address",
    ]);
  }
  let stopping: Promise<void> | undefined;
  const signals: Deno.Signal[] = options.handleSignals === false ? [] : ["SIGTERM", "SIGINT"];
  const onSignal = () => void shutdown();
  const shutdown = (graceMs = config.shutdownGraceMs): Promise<void> => {
    stopping ??= (async () => {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
      log.info("shutting down", { grace_ms: graceMs, active_jobs: app.activeJobs() });
      await app.shutdown(graceMs);
      await server.shutdown();
      log.info("stopped");
    })();
    return stopping;
  };
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

/**
 * For a sidecar's entry point: starts it with `start`; when it cannot start (an invalid
 * environment, a missing `SHARED_DIR`, a port in use) writes one JSON line to stderr naming
 * every problem and exits with code 1, instead of an uncaught error and its stack trace.
 *
 * @param start Starts the sidecar, e.g. `() => serveSidecar(sidecar)`.
 * @returns The running sidecar.
 * @throws Whatever `start` throws that is not a {@linkcode SidecarConfigError}.
 * @example
 * ```ts ignore
 * if (import.meta.main) await serveOrExit(() => serveSidecar(sidecar));
 * ```
 */
export async function serveOrExit(
  start: () => Promise<ServingSidecar>,
): Promise<ServingSidecar> {
  try {
    return await start();
  } catch (err) {
    if (!(err instanceof SidecarConfigError)) throw err;
    const bytes = (line: string) => new TextEncoder().encode(`${line}\n`);
    const log = createLogger({ write: (line) => Deno.stderr.writeSync(bytes(line)) });
    log.error("cannot start the sidecar", { problems: err.issues });
    Deno.exit(1);
  }
}

async function requireDir(name: string, dir: string): Promise<void> {
  try {
    if ((await Deno.stat(dir)).isDirectory) return;
  } catch (cause) {
    throw new SidecarConfigError([`${name}="${dir}" does not exist (${String(cause)})`]);
  }
  throw new SidecarConfigError([`${name}="${dir}" is not a directory`]);
}
