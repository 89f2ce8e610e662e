import type { RunResult, WorkflowRunner } from "../run/types.ts";
import { NotAcceptingError, RunLimitError } from "./run_errors.ts";

/** Where a run is: `running`, or how it ended. */
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

/** What `GET /runs/:id` returns. */
export interface RunRecord {
  /** The run id (also in every log line of the run). */
  runId: string;
  /** What started it: `manual`, `cron:<schedule>`, `webhook:<path>`, `cli`. */
  trigger: string;
  /** `running`, then how it ended. */
  status: RunStatus;
  /** The request that started it, when it came over HTTP. */
  requestId?: string;
  /** ISO time the engine accepted it. */
  startedAt: string;
  /** ISO time it ended. */
  finishedAt?: string;
  /** The run's result, once it has finished. */
  result?: RunResult;
  /** Set when the engine itself failed to run it (not a node failure). */
  error?: string;
}

/** A run that was accepted: its live record and a promise of the finished one. */
export interface StartedRun {
  /** The live record (its status changes when the run ends). */
  record: RunRecord;
  /** The finished record; never rejects. */
  done: Promise<RunRecord>;
}

/** Options of {@linkcode RunRegistry}. */
export interface RunRegistryOptions {
  /** Runs the workflow. */
  runner: WorkflowRunner;
  /** Runs allowed at once; more are refused with {@linkcode RunLimitError}. */
  maxConcurrent: number;
  /** Finished runs kept for `GET /runs/:id`; the oldest are forgotten first. */
  retain: number;
  /** Run id generator (default `crypto.randomUUID`). */
  newId?: () => string;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
  /** Called once per accepted run, before it starts (metrics, logs). */
  onStart?: (record: RunRecord) => void;
  /** Called once per finished run (metrics, logs). */
  onFinish?: (record: RunRecord, durationMs: number, cause?: unknown) => void;
}

/** The longest delay `setTimeout` takes as it is. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Tracks runs: enforces the concurrent-run limit, keeps a bounded history, cancels runs
 * and drains them on shutdown. One registry per engine; every trigger starts runs here.
 *
 * @example
 * ```ts
 * import { RunRegistry } from "./run_registry.ts";
 * const runner = {
 *   run: (_input: unknown, o?: { runId?: string }) =>
 *     Promise.resolve({ runId: o!.runId!, success: true, outputs: {}, errors: {}, nodes: {},
 *       timing: { startedAt: "", finishedAt: "", durationMs: 0 } }),
 *   close: () => Promise.resolve(),
 * };
 * const runs = new RunRegistry({ runner, maxConcurrent: 2, retain: 10 });
 * const done = await runs.start({}, { trigger: "manual" }).done;
 * console.assert(done.status === "succeeded" && runs.get(done.runId) === done);
 * ```
 */
export class RunRegistry {
  #opts: RunRegistryOptions;
  #active = new Map<
    string,
    { record: RunRecord; abort: AbortController; done: Promise<RunRecord> }
  >();
  #finished = new Map<string, RunRecord>();
  #closedReason: string | undefined;
  /** Epoch ms by which any drain must end, and the grace period that set it. */
  #drainEndsBy = Infinity;
  #drainGraceMs = Infinity;
  /** Re-arms the running drain's timer for an earlier end. */
  #rearmDrain: (() => void) | undefined;

  /**
   * Creates an empty registry.
   *
   * @param options The runner, limits and hooks.
   * @throws {RangeError} When `maxConcurrent` or `retain` is not a positive integer.
   */
  constructor(options: RunRegistryOptions) {
    for (const key of ["maxConcurrent", "retain"] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1) {
        throw new RangeError(`${key} must be a positive integer, got ${options[key]}`);
      }
    }
    this.#opts = options;
  }

  /** The configured limits: concurrent runs and finished runs kept. */
  get limits(): { maxConcurrent: number; retain: number } {
    return { maxConcurrent: this.#opts.maxConcurrent, retain: this.#opts.retain };
  }

  /** Runs in flight now. */
  get inFlight(): number {
    return this.#active.size;
  }

  /** Why runs are refused, or `undefined` while accepting. */
  get closedReason(): string | undefined {
    return this.#closedReason;
  }

  /**
   * Starts a run in the background.
   *
   * @param input The trigger input.
   * @param meta What started it.
   * @returns The live record and a promise of the finished record (never rejects).
   * @throws {NotAcceptingError} After {@linkcode RunRegistry.close}.
   * @throws {RunLimitError} When `maxConcurrent` runs are in flight.
   */
  start(input: unknown, meta: { trigger: string; requestId?: string }): StartedRun {
    if (this.#closedReason !== undefined) throw new NotAcceptingError(this.#closedReason);
    if (this.#active.size >= this.#opts.maxConcurrent) {
      throw new RunLimitError(this.#opts.maxConcurrent);
    }
    const now = this.#opts.now ?? Date.now;
    const started = now();
    const record: RunRecord = {
      runId: (this.#opts.newId ?? (() => crypto.randomUUID()))(),
      trigger: meta.trigger,
      status: "running",
      ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
      startedAt: new Date(started).toISOString(),
    };
    const abort = new AbortController();
    this.#opts.onStart?.(record);
    const done = this.#execute(record, input, abort.signal).then((cause) => {
      record.finishedAt = new Date(now()).toISOString();
      this.#active.delete(record.runId);
      this.#remember(record);
      this.#opts.onFinish?.(record, now() - started, cause);
      return record;
    });
    this.#active.set(record.runId, { record, abort, done });
    return { record, done };
  }

  /**
   * A run by id: in flight, or one of the last `retain` finished runs.
   *
   * @param runId The run id.
   * @returns The record, or `undefined` when unknown or forgotten.
   */
  get(runId: string): RunRecord | undefined {
    return this.#active.get(runId)?.record ?? this.#finished.get(runId);
  }

  /**
   * Cancels a run in flight: its nodes' `ctx.signal` is aborted and they end `cancelled`.
   *
   * @param runId The run id.
   * @param reason Why (becomes the abort reason).
   * @returns `true` when the run was in flight, `false` when unknown or already finished.
   */
  cancel(runId: string, reason = "cancelled by request"): boolean {
    const entry = this.#active.get(runId);
    if (!entry) return false;
    entry.abort.abort(new DOMException(reason, "AbortError"));
    return true;
  }

  /**
   * Cancels every run in flight (e.g. on a second SIGTERM during a drain).
   *
   * @param reason Why (becomes each run's abort reason).
   * @returns How many runs were cancelled.
   */
  cancelAll(reason: string): number {
    for (const entry of this.#active.values()) {
      entry.abort.abort(new DOMException(reason, "AbortError"));
    }
    return this.#active.size;
  }

  /**
   * Stops accepting runs; later {@linkcode RunRegistry.start} calls throw
   * {@linkcode NotAcceptingError} with `reason`.
   *
   * @param reason The message refused callers get.
   */
  close(reason: string): void {
    this.#closedReason ??= reason;
  }

  /**
   * Stops accepting, waits up to `graceMs` for in-flight runs, then cancels the rest and
   * waits for them to end. {@linkcode RunRegistry.hurryDrain} may end the wait earlier.
   *
   * @param graceMs How long in-flight runs may take to finish on their own.
   * @returns How many runs finished on their own and how many were cancelled.
   */
  async drain(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    this.close("engine is shutting down");
    const entries = [...this.#active.values()];
    this.#capDrain(graceMs);
    const expired = Promise.withResolvers<"expired">();
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.#rearmDrain = () => {
      clearTimeout(timer);
      // Timers take at most 2^31 - 1 ms (longer ones fire at once): wait in steps.
      const wait = this.#drainEndsBy - Date.now();
      timer = setTimeout(
        () => wait > MAX_TIMER_MS ? this.#rearmDrain?.() : expired.resolve("expired"),
        Math.min(wait, MAX_TIMER_MS),
      );
    };
    this.#rearmDrain();
    const first = await Promise.race([Promise.all(entries.map((e) => e.done)), expired.promise]);
    clearTimeout(timer);
    this.#rearmDrain = undefined;
    const late = first === "expired" ? [...this.#active.values()] : [];
    const reason = `engine is shutting down: grace period of ${this.#drainGraceMs} ms expired`;
    for (const entry of late) entry.abort.abort(new DOMException(reason, "AbortError"));
    await Promise.all(late.map((e) => e.done));
    return { finished: entries.length - late.length, cancelled: late.length };
  }

  /**
   * Makes a drain, running or still to come, end at most `graceMs` from now: e.g. a SIGTERM
   * while the engine drains for a restart with a longer wait. Never lengthens a drain.
   *
   * @param graceMs The longest the drain may still take.
   */
  hurryDrain(graceMs: number): void {
    if (this.#capDrain(graceMs)) this.#rearmDrain?.();
  }

  /** Makes drains end at most `graceMs` from now; whether that is earlier than before. */
  #capDrain(graceMs: number): boolean {
    const endsBy = Date.now() + graceMs;
    if (endsBy >= this.#drainEndsBy) return false;
    this.#drainEndsBy = endsBy;
    this.#drainGraceMs = graceMs;
    return true;
  }

  /** Runs one; resolves to the unexpected error when the runner threw. */
  async #execute(record: RunRecord, input: unknown, signal: AbortSignal): Promise<unknown> {
    try {
      const logFields = record.requestId === undefined
        ? { trigger: record.trigger }
        : { trigger: record.trigger, requestId: record.requestId };
      const result = await this.#opts.runner.run(input, { runId: record.runId, signal, logFields });
      record.result = result;
      record.status = result.success ? "succeeded" : signal.aborted ? "cancelled" : "failed";
      return undefined;
    } catch (err) {
      record.status = signal.aborted ? "cancelled" : "failed";
      record.error = `the engine could not run the workflow: ${(err as Error)?.message ?? err}`;
      return err ?? new Error("runner threw undefined");
    }
  }

  #remember(record: RunRecord): void {
    this.#finished.set(record.runId, record);
    while (this.#finished.size > this.#opts.retain) {
      const oldest = this.#finished.keys().next().value as string;
      this.#finished.delete(oldest);
    }
  }
}
