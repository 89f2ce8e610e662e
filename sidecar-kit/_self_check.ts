/**
 * The startup self-check: runs the author's `check` once, bounded in time, shapes the health
 * body from its result, and records readiness for the health route.
 * @module
 */
import { runProcess } from "./process.ts";
import type { Runtime } from "./_runtime.ts";
import type { Sidecar } from "./types.ts";

/** Longest a self-check may take before the sidecar is marked failed. */
export const SELF_CHECK_TIMEOUT_MS = 30_000;

/** Runs the check; never rejects (failure is recorded as readiness `failed`). */
export async function runSelfCheck(rt: Runtime, stop: AbortSignal): Promise<void> {
  const check = rt.sidecar.check;
  const own = new AbortController();
  const timer = setTimeout(
    () => own.abort(new Error(`self-check timed out after ${SELF_CHECK_TIMEOUT_MS} ms`)),
    SELF_CHECK_TIMEOUT_MS,
  );
  const signal = AbortSignal.any([stop, own.signal]);
  try {
    const found = check
      ? await check({
        exec: (argv, options = {}) => runProcess(argv, { ...options, signal }),
        log: rt.log,
        paths: rt.paths,
      })
      : undefined;
    if (signal.aborted) throw signal.reason;
    const info = found ?? {};
    rt.readiness = { state: "ready", info, healthText: healthText(rt.sidecar, info) };
    rt.log.info(check ? "self-check passed: ready" : "ready", { info });
  } catch (caught) {
    const error = signal.aborted ? signal.reason : caught;
    const reason = error instanceof Error ? error.message : String(error);
    rt.readiness = { state: "failed", reason };
    // Stopped by a shutdown (or a failed start): not a failure of the tool.
    if (signal.aborted) rt.log.debug("self-check stopped", { reason });
    else rt.log.error("self-check failed: not ready", { error: reason });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The JSON text of a ready `/health`: `status: "ok"` first, then the author's `healthBody(info)`
 * fields (a `status` it returns is ignored), or `{ sidecar, version, info }` by default.
 * @throws {TypeError} When the hook throws or returns something that is not a JSON object.
 */
export function healthText(sidecar: Sidecar, info: Record<string, unknown>): string {
  if (!sidecar.healthBody) {
    return JSON.stringify({ status: "ok", sidecar: sidecar.name, version: sidecar.version, info });
  }
  let fields: unknown;
  try {
    fields = sidecar.healthBody(info, { name: sidecar.name, version: sidecar.version });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`healthBody threw: ${why}`, { cause });
  }
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    const got = fields === null ? "null" : Array.isArray(fields) ? "an array" : typeof fields;
    throw new TypeError(`healthBody must return a JSON object, got ${got}`);
  }
  const { status: _ignored, ...rest } = fields as Record<string, unknown>;
  try {
    return JSON.stringify({ status: "ok", ...rest });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`healthBody returned a value that is not JSON: ${why}`, { cause });
  }
}
