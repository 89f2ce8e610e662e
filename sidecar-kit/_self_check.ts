/**
 * The startup self-check: runs the author's `check` once, bounded in time, and records
 * readiness for the health route.
 * @module
 */
import { runProcess } from "./process.ts";
import type { Runtime } from "./_runtime.ts";

/** Longest a self-check may take before the sidecar is marked failed. */
export const SELF_CHECK_TIMEOUT_MS = 30_000;

/** Runs the check; never rejects (failure is recorded as readiness `failed`). */
export async function runSelfCheck(rt: Runtime, stop: AbortSignal): Promise<void> {
  const check = rt.sidecar.check;
  if (!check) {
    rt.readiness = { state: "ready", info: {} };
    rt.log.info("ready", { port: rt.config.port });
    return;
  }
  const own = new AbortController();
  const timer = setTimeout(
    () => own.abort(new Error(`self-check timed out after ${SELF_CHECK_TIMEOUT_MS} ms`)),
    SELF_CHECK_TIMEOUT_MS,
  );
  const signal = AbortSignal.any([stop, own.signal]);
  try {
    const info = await check({
      exec: (argv, options = {}) => runProcess(argv, { ...options, signal }),
      log: rt.log,
      paths: rt.paths,
    });
    if (signal.aborted) throw signal.reason;
    rt.readiness = { state: "ready", info: info ?? {} };
    rt.log.info("self-check passed: ready", { info: info ?? {} });
  } catch (caught) {
    const error = signal.aborted ? signal.reason : caught;
    const reason = error instanceof Error ? error.message : String(error);
    rt.readiness = { state: "failed", reason };
    rt.log.error("self-check failed: not ready", { error: reason });
  } finally {
    clearTimeout(timer);
  }
}
