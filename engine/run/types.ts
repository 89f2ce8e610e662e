/** What happened to one node in a run. */
export type NodeStatus = "ok" | "failed" | "timed_out" | "skipped" | "cancelled";

/** The outcome of one node: data, never an exception. */
export interface NodeResult {
  /** How the node ended. */
  status: NodeStatus;
  /** Attempts made (0 when skipped or cancelled before starting). */
  attempts: number;
  /** ISO time the first attempt started, when it started. */
  startedAt?: string;
  /** Wall time across all attempts, in ms. */
  durationMs: number;
  /**
   * Why it did not succeed (the error message, or the skip/cancel reason). On an `ok` node,
   * why its output is missing from `outputs` (lost with a sandbox terminated later in the run).
   */
  error?: string;
}

/** The result of a whole run (JSON-serialisable; returned by `POST /run` and `tntc run`). */
export interface RunResult {
  /** The run's id. */
  runId: string;
  /** Whether every node finished ok. */
  success: boolean;
  /** Output of every node that finished ok, by node name. */
  outputs: Record<string, unknown>;
  /** Error message of every node that did not finish ok, by node name. */
  errors: Record<string, string>;
  /** Every node's result, by node name. */
  nodes: Record<string, NodeResult>;
  /** When the run started and finished (ISO) and how long it took. */
  timing: { startedAt: string; finishedAt: string; durationMs: number };
}

/** Options for one run. */
export interface RunOptions {
  /** Use this run id (default: a new UUID). */
  runId?: string;
  /** Cancels the run: running nodes get their `ctx.signal` aborted and are `cancelled`. */
  signal?: AbortSignal;
  /** Extra top-level keys for every log line of this run, e.g. `{ requestId }`. */
  logFields?: Record<string, unknown>;
}

/** Counters of a runner's sandboxes, for metrics and health checks. */
export interface RunnerStats {
  /** Live sandboxes (Workers), idle or busy, across permission profiles. */
  sandboxes: number;
  /** Sandboxes running a run or a node now. */
  busy: number;
  /** Runs and node calls waiting for a free sandbox. */
  queued: number;
  /**
   * Sandboxes terminated because node code held their thread past a deadline (e.g. a
   * CPU-bound loop). Their runs ended, but Deno 2.9 does not interrupt a Worker's running
   * JavaScript on `terminate()`, so such a thread may keep a CPU busy until the engine process
   * exits. The engine server drains and exits with code 75 for a restart as soon as this is
   * above 0 (see `EXIT_RESTART` in `engine/server/stuck_drain.ts`).
   */
  stuckSandboxes: number;
}

/** Runs one loaded workflow many times; owns warm sandboxes. Implemented in engine/run/. */
export interface WorkflowRunner {
  /** Runs the DAG once with the trigger input. Never throws for node failures. */
  run(input: unknown, options?: RunOptions): Promise<RunResult>;
  /** Stops all sandboxes; in-flight runs end as cancelled. */
  close(): Promise<void>;
  /** Sandbox counters (optional so test doubles need not implement it). */
  stats?(): RunnerStats;
  /**
   * The longest a run can go on by its own limits (node timeouts, retries, backoff,
   * `config.runTimeout`), in ms; optional so test doubles need not implement it.
   */
  readonly longestRunMs?: number;
}
