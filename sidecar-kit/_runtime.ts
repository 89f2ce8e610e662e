/**
 * The state one running sidecar shares between its routes: limits, active jobs, readiness.
 * @module
 */
import type { SidecarConfig } from "./config.ts";
import type { JsonLogger } from "./log.ts";
import type { SidecarMetrics } from "./metrics.ts";
import type { SharedPaths } from "./shared_paths.ts";
import type { Sidecar } from "./types.ts";
export type { SidecarEnv } from "./types.ts";
import { Limiter } from "./_limiter.ts";

/** Readiness as shown by the health route. */
export type Readiness =
  | { state: "starting" }
  | { state: "ready"; info: Record<string, unknown>; healthText: string }
  | { state: "failed"; reason: string };

/** Shared mutable state of one sidecar instance. */
export interface Runtime {
  readonly sidecar: Sidecar;
  readonly config: SidecarConfig;
  readonly paths: SharedPaths;
  readonly log: JsonLogger;
  readonly metrics: SidecarMetrics;
  readonly global: Limiter;
  readonly perJob: ReadonlyMap<string, Limiter>;
  /** Controllers of admitted jobs (queued or running), aborted on shutdown. */
  readonly active: Set<AbortController>;
  /** The jobs of `active` still waiting for a slot (a shutdown fails them at once). */
  readonly queued: Set<AbortController>;
  /** Jobs admitted but not yet started. */
  waiting: number;
  shuttingDown: boolean;
  readiness: Readiness;
  readonly now: () => number;
  /** Settles when `active` becomes empty (re-armed on demand). */
  idle(): Promise<void>;
  /** Called whenever a job leaves `active`. */
  notifyIdle(): void;
}

/** Builds the runtime; limiters come from the config and per-job overrides. */
export function createRuntime(init: {
  sidecar: Sidecar;
  config: SidecarConfig;
  paths: SharedPaths;
  log: JsonLogger;
  metrics: SidecarMetrics;
  now: () => number;
}): Runtime {
  const perJob = new Map<string, Limiter>();
  for (const [name, j] of Object.entries(init.sidecar.jobs)) {
    if (j.maxConcurrency !== undefined || j.maxQueue !== undefined) {
      perJob.set(
        name,
        new Limiter(
          j.maxConcurrency ?? init.config.maxConcurrency,
          j.maxQueue ?? init.config.maxQueue,
        ),
      );
    }
  }
  let waiters: Array<() => void> = [];
  const rt: Runtime = {
    ...init,
    global: new Limiter(init.config.maxConcurrency, init.config.maxQueue),
    perJob,
    active: new Set(),
    queued: new Set(),
    waiting: 0,
    shuttingDown: false,
    readiness: { state: "starting" },
    idle: () => rt.active.size === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r)),
    notifyIdle: () => {
      if (rt.active.size > 0) return;
      const w = waiters;
      waiters = [];
      for (const r of w) r();
    },
  };
  return rt;
}
