/**
 * `createSidecarApp`: the Hono application of a sidecar plus its lifecycle (self-check,
 * drain-and-cancel shutdown). `serveSidecar` puts it on a port; tests call `app.request()`.
 * @module
 */
import { Hono } from "hono";
import { loadConfig, type SidecarConfig } from "./config.ts";
import { SidecarHttpError } from "./errors.ts";
import { createLogger, type JsonLogger } from "./log.ts";
import { SidecarMetrics } from "./metrics.ts";
import type { SharedPaths } from "./shared_paths.ts";
import type { Sidecar } from "./types.ts";
import { registerAsyncRoutes } from "./_async_route.ts";
import { notStartedAtShutdown } from "./_execute.ts";
import { JobStore } from "./_job_store.ts";
import { createRuntime, type Runtime } from "./_runtime.ts";
import type { SidecarEnv } from "./types.ts";
import { registerRoutes } from "./_routes.ts";
import { runSelfCheck } from "./_self_check.ts";
import { withHealthFastPath } from "./_health.ts";
import { canKillGroups } from "./_process_group.ts";

/** Options of {@linkcode createSidecarApp}. */
export interface SidecarAppOptions {
  /** Shared-directory helpers (see `createSharedPaths`). */
  paths: SharedPaths;
  /** Settings (default: `loadConfig()` from the environment with the sidecar's port). */
  config?: SidecarConfig;
  /** Logger (default: JSON lines on stdout at `config.logLevel`). */
  logger?: JsonLogger;
  /** Clock in ms, for job retention (default `Date.now`). */
  now?: () => number;
}

/** The HTTP side of a sidecar app (implemented by a Hono app). */
export interface SidecarHandler {
  /** Handles one request, as `Deno.serve` expects. */
  fetch(request: Request): Response | Promise<Response>;
  /** In-process request for tests: a path (or URL/Request) plus init; opens no port. */
  request(input: string | Request | URL, init?: RequestInit): Response | Promise<Response>;
}

/** A sidecar application and its lifecycle. */
export interface SidecarApp {
  /** The HTTP handler: `app.fetch` for `Deno.serve`, `app.request()` in tests (a Hono app). */
  app: SidecarHandler;
  /** Settles when the self-check finished (whether it passed or failed). */
  ready: Promise<void>;
  /** The settings in use. */
  config: SidecarConfig;
  /** Jobs admitted (queued or running) right now. */
  activeJobs(): number;
  /**
   * Graceful stop: new work gets 503, running jobs get `graceMs` to finish, the rest are
   * cancelled (process groups killed). Resolves when no job is left.
   */
  shutdown(graceMs?: number): Promise<void>;
  /** Immediate stop: `shutdown(0)`. */
  close(): Promise<void>;
}

/**
 * Builds the sidecar's HTTP application and starts its self-check.
 *
 * @param sidecar From `defineSidecar`.
 * @param options Shared paths, config, logger, clock.
 * @returns The app and its lifecycle.
 * @throws {SidecarConfigError} When no `config` is given and the environment is invalid.
 * @example
 * ```ts
 * import { createSidecarApp, defineSidecar, job, loadConfig, SharedPaths } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   jobs: { add: job({ input: z.object({ a: z.number(), b: z.number() }), run: ({ a, b }) => ({ sum: a + b }) }) },
 * });
 * const s = createSidecarApp(sidecar, { paths: new SharedPaths("/tmp"), config: loadConfig({}) });
 * await s.ready;
 * const res = await s.app.request("/health");
 * if (res.status !== 200) throw new Error(await res.text());
 * await s.close();
 * ```
 */
export function createSidecarApp(sidecar: Sidecar, options: SidecarAppOptions): SidecarApp {
  const config = options.config ?? loadConfig(undefined, { port: sidecar.port });
  const log = options.logger ??
    createLogger({ level: config.logLevel, fields: { sidecar: sidecar.name } });
  const now = options.now ?? Date.now;
  // The gauge callback runs at scrape time, after `runtime` exists.
  const metrics = new SidecarMetrics(() => runtime.waiting, { sidecar: sidecar.name });
  const runtime: Runtime = createRuntime({
    sidecar,
    config,
    paths: options.paths,
    log,
    metrics,
    now,
  });
  if (!canKillGroups()) {
    log.warn(
      "--allow-run lists programs, so only each tool is killed on timeout/cancel, not the " +
        "processes it forks: Deno.kill(-pgid) needs an unscoped --allow-run",
    );
  }
  const store = new JobStore(config.jobRetentionMs, config.maxRetainedJobs, now);
  const app = new Hono<SidecarEnv>();
  registerRoutes(app, runtime, store, registerAsyncRoutes);
  const stopCheck = new AbortController();
  const ready = runSelfCheck(runtime, stopCheck.signal);
  const shutdown = async (graceMs = config.shutdownGraceMs) => {
    runtime.shuttingDown = true;
    stopCheck.abort(new SidecarHttpError(503, "shutting down"));
    // Jobs still waiting for a slot would only wait out the grace period: they fail now, so
    // their clients can retry elsewhere at once. Running jobs get the grace period.
    const notStarted = notStartedAtShutdown();
    for (const c of [...runtime.queued]) c.abort(notStarted);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      runtime.idle().then(() => true),
      new Promise<boolean>((r) => timer = setTimeout(() => r(false), graceMs)),
    ]);
    clearTimeout(timer);
    if (!drained) {
      log.warn("shutdown grace over: cancelling jobs", { jobs: runtime.active.size });
      const reason = new SidecarHttpError(503, "cancelled: the sidecar is shutting down");
      for (const c of runtime.active) c.abort(reason);
      // Jobs end on abort; a stream that ignores it must not block the exit forever.
      await Promise.race([runtime.idle(), new Promise((r) => timer = setTimeout(r, 5000))]);
      clearTimeout(timer);
    }
    await ready;
  };
  // Hono's `request` calls its own `fetch`, so in-process tests reach the same answers.
  const handler: SidecarHandler = {
    fetch: withHealthFastPath(runtime, (req) => app.fetch(req)),
    request: (input, init) => app.request(input, init),
  };
  return {
    app: handler,
    ready,
    config,
    activeJobs: () => runtime.active.size,
    shutdown,
    close: () => shutdown(0),
  };
}
