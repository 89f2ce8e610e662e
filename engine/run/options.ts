import type { EngineLayout } from "../flags/derive.ts";
import type { LogLevel, Secrets } from "./context.ts";

/** One structured log line (written as JSON). */
export interface LogRecord {
  /** ISO time. */
  time: string;
  /** Severity. */
  level: LogLevel;
  /** The message. */
  msg: string;
  /** The run, when the line belongs to one. */
  runId?: string;
  /** The node, when node code (or the runner about a node) wrote it. */
  node?: string;
  /** Structured fields given by the caller. */
  fields?: Record<string, unknown>;
  /** Extra top-level keys, e.g. `requestId` from {@linkcode RunOptions.logFields}. */
  [key: string]: unknown;
}

/** Receives log records; must not throw. */
export type LogSink = (record: LogRecord) => void;

/** A clock for unit tests of the unsandboxed runner. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` (rejects with the signal's reason when it aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Options of {@linkcode createRunner}. */
export interface RunnerOptions {
  /** Directories: app (workflow code), secrets, shared, tmp (see `EngineLayout`). */
  layout: EngineLayout;
  /** Receives every log line (default: JSON lines on stdout). */
  log?: LogSink;
  /** The lowest level logged (default `info`). */
  logLevel?: LogLevel;
  /** Secrets to give nodes; default: loaded from `layout.secretsDir` and `localSecretsFile`. */
  secrets?: Secrets;
  /** A local secrets file (YAML or JSON) read after the secrets directory, e.g. in dev. */
  localSecretsFile?: string;
  /** Sandboxes kept warm per permission profile (default 1). */
  warmSandboxes?: number;
  /**
   * How long the warm sandboxes may take to load every node module (default 30 s): top-level
   * code that never returns (a loop, an `await` that never settles) fails the start with a
   * `NodeLoadError` naming the node, instead of hanging it.
   */
  loadTimeoutMs?: number;
  /**
   * At most this many sandboxes per permission profile; further runs queue (default 8). A
   * sandbox runs one run at a time. Under queueing the pool grows to one sandbox per CPU core
   * at once, and beyond that only while no sandbox comes free for 20 ms (its runs are long,
   * e.g. waiting on a sidecar); sandboxes beyond the warm ones retire after 30 s idle.
   */
  poolSize?: number;
  /**
   * Runs that may wait inside a busy sandbox, behind the one it is running (default 16; 0
   * turns it off), while the work queued there stays under 1 ms: runs × their average time in
   * a sandbox. Short runs then gather in one sandbox, which starts a queued run the moment it
   * is done and stays awake, instead of the engine waking an idle sandbox for each run (a
   * thread wake-up costs more than such a run). A queued run still runs alone; it goes back to
   * the engine for another sandbox when the run ahead of it holds the sandbox for 5 ms, or
   * when that sandbox is terminated.
   */
  pipelineDepth?: number;
  /**
   * `false` runs node code inside this process, without isolation, timeouts that can stop a
   * CPU-bound loop, or permissions. For unit tests only (default `true`).
   */
  sandbox?: boolean;
  /** Injected clock (only with `sandbox: false`). */
  clock?: Clock;
  /** Injected fetch for `ctx.fetch` and sidecar clients (only with `sandbox: false`). */
  fetch?: typeof fetch;
  /** Injected random source in [0, 1) for retry jitter (only with `sandbox: false`). */
  random?: () => number;
  /** First retry delay in ms before jitter (default 200); doubles per attempt. */
  retryBaseMs?: number;
  /** The longest retry delay in ms (default 10000). */
  retryMaxMs?: number;
  /** How long a sandbox blocked past a deadline gets before it is terminated (default 250). */
  killGraceMs?: number;
}
