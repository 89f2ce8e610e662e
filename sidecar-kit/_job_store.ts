/**
 * Async job records: status, latest progress, result or error, change listeners, and bounded
 * retention of finished jobs (by age and by count, pruned lazily — no timers).
 * @module
 */
import type { Progress } from "./types.ts";

/** Async job status. */
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "timed_out";

/** What `GET /jobs/:id` returns. */
export interface AsyncJobState {
  id: string;
  job: string;
  status: JobStatus;
  progress: Progress | null;
  result?: unknown;
  error?: Record<string, unknown>;
  http_status?: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

/** A change pushed to listeners (SSE). */
export type JobEvent = { type: "status" | "progress" | "end"; data: unknown };

/** One stored job. */
export interface JobEntry {
  state: AsyncJobState;
  controller: AbortController;
  finishedAtMs: number | null;
  listeners: Set<(e: JobEvent) => void>;
  /** Settles when the job reached its final state (after its processes are gone). */
  ended: Promise<void>;
  /** Settles `ended`. */
  markEnded: () => void;
}

const FINAL: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled", "timed_out"]);

/** True for a final status. */
export function isFinal(status: JobStatus): boolean {
  return FINAL.has(status);
}

/** In-memory async jobs with bounded retention. */
export class JobStore {
  #jobs = new Map<string, JobEntry>();

  /**
   * @param retentionMs How long finished jobs stay.
   * @param maxRetained Most finished jobs kept.
   * @param now Clock (ms).
   */
  constructor(
    private readonly retentionMs: number,
    private readonly maxRetained: number,
    private readonly now: () => number,
  ) {}

  /** Registers a queued job. */
  create(id: string, job: string, controller: AbortController): JobEntry {
    this.prune();
    const { promise: ended, resolve: markEnded } = Promise.withResolvers<void>();
    const entry: JobEntry = {
      ended,
      markEnded,
      state: {
        id,
        job,
        status: "queued",
        progress: null,
        created_at: new Date(this.now()).toISOString(),
        started_at: null,
        finished_at: null,
        duration_ms: null,
      },
      controller,
      finishedAtMs: null,
      listeners: new Set(),
    };
    this.#jobs.set(id, entry);
    return entry;
  }

  /** The job, unless unknown or expired. */
  get(id: string): JobEntry | undefined {
    this.prune();
    return this.#jobs.get(id);
  }

  /** Number of stored jobs (active and finished). */
  get size(): number {
    return this.#jobs.size;
  }

  /** Marks the job running. */
  start(entry: JobEntry): void {
    entry.state.status = "running";
    entry.state.started_at = new Date(this.now()).toISOString();
    this.#emit(entry, { type: "status", data: entry.state });
  }

  /** Records progress. */
  progress(entry: JobEntry, progress: Progress): void {
    entry.state.progress = progress;
    this.#emit(entry, { type: "progress", data: progress });
  }

  /** Records the final state and tells listeners it ended. */
  finish(
    entry: JobEntry,
    status: JobStatus,
    outcome: { result?: unknown; error?: Record<string, unknown>; httpStatus?: number },
  ): void {
    const t = this.now();
    entry.state.status = status;
    entry.state.finished_at = new Date(t).toISOString();
    const startedMs = Date.parse(entry.state.started_at ?? entry.state.created_at);
    entry.state.duration_ms = Math.max(0, t - startedMs);
    if (outcome.result !== undefined) entry.state.result = outcome.result;
    if (outcome.error !== undefined) entry.state.error = outcome.error;
    if (outcome.httpStatus !== undefined) entry.state.http_status = outcome.httpStatus;
    entry.finishedAtMs = t;
    this.#emit(entry, { type: "end", data: entry.state });
    entry.listeners.clear();
    entry.markEnded();
    this.prune();
  }

  /** Adds a listener; returns its removal. */
  subscribe(entry: JobEntry, fn: (e: JobEvent) => void): () => void {
    entry.listeners.add(fn);
    return () => entry.listeners.delete(fn);
  }

  /** Drops finished jobs older than the retention or beyond the count (oldest first). */
  prune(): void {
    const cutoff = this.now() - this.retentionMs;
    const finished: JobEntry[] = [];
    for (const [id, e] of this.#jobs) {
      if (e.finishedAtMs === null) continue;
      if (e.finishedAtMs <= cutoff) this.#jobs.delete(id);
      else finished.push(e);
    }
    // Map order is insertion order; finished jobs beyond the cap go oldest-finished first.
    if (finished.length > this.maxRetained) {
      finished.sort((a, b) => a.finishedAtMs! - b.finishedAtMs!);
      for (const e of finished.slice(0, finished.length - this.maxRetained)) {
        this.#jobs.delete(e.state.id);
      }
    }
  }

  #emit(entry: JobEntry, event: JobEvent): void {
    for (const fn of entry.listeners) {
      try {
        fn(event);
      } catch {
        // a broken listener (closed SSE stream) must not affect the job
      }
    }
  }
}
