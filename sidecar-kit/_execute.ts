/**
 * Admission (503/429) and execution of one job: queue slot, timeout, cancellation, cleanup,
 * metrics and the job log lines.
 * @module
 */
import { mapError, SidecarHttpError } from "./errors.ts";
import { createJobContext } from "./_job_context.ts";
import type { Runtime } from "./_runtime.ts";
import type { JobContext, Progress } from "./types.ts";

/** Outcome labels used in metrics and async job status. */
export type Outcome = "succeeded" | "failed" | "timed_out" | "cancelled";

/** Identity and hooks of one execution. */
export interface ExecuteInit {
  id: string;
  job: string;
  requestId: string;
  /** The client's request signal (sync jobs): aborting it cancels the job with 499. */
  clientSignal?: AbortSignal | undefined;
  /** Exposes the controller (async jobs cancel through it). */
  controller?: AbortController | undefined;
  onStart?: (() => void) | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
}

/** A started job's value plus the call that ends it (releases the slot, cleans up). */
export interface Execution<T> {
  value: T;
  /** The job's signal (its reason explains a broken output stream). */
  signal: AbortSignal;
  /** Run time (after the queue) until `value` was ready, in ms. */
  durationMs: number;
  /** Ends the job; pass the error if the output stream failed later. Idempotent. */
  finish(error?: unknown): Promise<void>;
}

/**
 * Rejects new work while shutting down (503), before the self-check passed (503) or when the
 * queue is full (429 with `Retry-After`).
 */
export function admit(rt: Runtime, job: string): void {
  if (rt.shuttingDown) throw new SidecarHttpError(503, "shutting down: not accepting new jobs");
  if (rt.readiness.state !== "ready") {
    const why = rt.readiness.state === "failed"
      ? `self-check failed: ${rt.readiness.reason}`
      : "starting";
    throw new SidecarHttpError(503, `not ready: ${why}`);
  }
  const own = rt.perJob.get(job);
  if (!rt.global.hasRoom() || (own && !own.hasRoom())) {
    rt.metrics.rejected(job);
    throw new SidecarHttpError(
      429,
      `queue full: ${rt.global.running} running, ${rt.waiting} waiting (MAX_QUEUE=${rt.config.maxQueue})`,
      { retry_after_s: 1 },
      { headers: { "retry-after": "1" } },
    );
  }
}

/** The 503 of a job that had not started when the sidecar began shutting down. */
export function notStartedAtShutdown(): SidecarHttpError {
  return new SidecarHttpError(
    503,
    "cancelled before it started: the sidecar is shutting down",
    {},
    { headers: { "retry-after": "1" } },
  );
}

/** Outcome of an error (abort reasons carry 499/503/504). */
export function outcomeOf(error: unknown): Outcome {
  if (error === undefined) return "succeeded";
  const status = mapError(error).status;
  return status === 504 ? "timed_out" : status === 499 || status === 503 ? "cancelled" : "failed";
}

/**
 * Runs `work` once a slot is free. On failure the job is already finished and the error (the
 * abort reason when aborted) is thrown; on success the caller must call `finish`.
 */
export async function execute<T>(
  rt: Runtime,
  init: ExecuteInit,
  work: (ctx: JobContext) => Promise<T>,
): Promise<Execution<T>> {
  // Admitted before the shutdown began but arriving after its sweep of queued jobs (its body
  // was still being read): it does not start either.
  if (rt.shuttingDown) throw notStartedAtShutdown();
  const def = rt.sidecar.jobs[init.job]!;
  const controller = init.controller ?? new AbortController();
  const signal = controller.signal;
  const log = rt.log.child({ job: init.job, job_id: init.id, request_id: init.requestId });
  const onClient = () =>
    controller.abort(new SidecarHttpError(499, "cancelled: the client closed the request"));
  init.clientSignal?.addEventListener("abort", onClient, { once: true });
  rt.active.add(controller);
  rt.queued.add(controller);
  rt.waiting++;
  let queued = true;
  const releases: Array<() => void> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let started = performance.now();
  const owned = createJobContext(rt, { ...init, signal, log });
  let finished = false;
  const finish = async (error?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    init.clientSignal?.removeEventListener("abort", onClient);
    const ran = !queued;
    if (queued) rt.waiting--;
    rt.queued.delete(controller);
    // The job's processes are gone before its slot frees and before anyone sees the answer.
    await owned.cleanup();
    for (const r of releases.reverse()) r();
    rt.active.delete(controller);
    // A stream that broke because the job was aborted reports the abort reason, not EPIPE.
    if (error !== undefined && signal.aborted) error = signal.reason;
    const outcome = outcomeOf(error);
    const ms = performance.now() - started;
    rt.metrics.finished(init.job, outcome, ms / 1000, ran);
    const fields = { outcome, duration_ms: Math.round(ms) };
    if (outcome === "succeeded") log.info("job finished", fields);
    else log.warn("job finished", { ...fields, error: mapError(error).body.error });
    rt.notifyIdle();
  };
  try {
    const own = rt.perJob.get(init.job);
    if (own) releases.push(await own.acquire(signal));
    releases.push(await rt.global.acquire(signal));
    queued = false;
    rt.waiting--;
    rt.queued.delete(controller);
    started = performance.now();
    rt.metrics.started(init.job);
    init.onStart?.();
    const timeoutMs = def.timeoutMs ?? rt.config.jobTimeoutMs;
    timer = setTimeout(() => {
      controller.abort(
        new SidecarHttpError(504, `job timed out after ${timeoutMs} ms`, { timeout_ms: timeoutMs }),
      );
    }, timeoutMs);
    log.debug("job started");
    const value = await untilAborted(work(owned.ctx), signal);
    return { value, signal, durationMs: performance.now() - started, finish };
  } catch (error) {
    const reason = signal.aborted ? signal.reason : error;
    await finish(reason);
    throw reason;
  }
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
