import type { EngineLogger } from "./log.ts";
import type { ReadinessReport } from "./readiness.ts";

/** Options of {@linkcode waitForSidecars}. */
export interface WaitForSidecarsOptions {
  /** Checks every sidecar once (usually {@linkcode probeSidecars} bound to the workflow). */
  probe: () => Promise<ReadinessReport>;
  /** Give up after this many ms (the wait is bounded). */
  timeoutMs: number;
  /** Pause between checks (default 250 ms). */
  intervalMs?: number;
  /** Progress lines: what is waited for, what is still missing, the outcome. */
  log: EngineLogger;
  /** Stops waiting early (e.g. SIGTERM during start-up). */
  signal?: AbortSignal;
}

/**
 * Waits, bounded, until every declared sidecar answers its health check, logging what it
 * waits for, what is still missing every few seconds, and the outcome. Never throws: on
 * timeout it returns the last (not ready) report and logs a warning.
 *
 * @param options Probe, bound, interval, logger and signal.
 * @returns The last report (`ready: false` after a timeout or abort).
 * @example
 * ```ts
 * import { waitForSidecars } from "./wait_for_sidecars.ts";
 * import { createEngineLogger } from "./log.ts";
 * let calls = 0;
 * const report = await waitForSidecars({
 *   probe: () => Promise.resolve({ ready: ++calls === 3, sidecars: {} }),
 *   timeoutMs: 1000,
 *   intervalMs: 1,
 *   log: createEngineLogger({ write: () => {} }),
 * });
 * console.assert(report.ready && calls === 3);
 * ```
 */
export async function waitForSidecars(options: WaitForSidecarsOptions): Promise<ReadinessReport> {
  const { probe, timeoutMs, log, signal } = options;
  const intervalMs = options.intervalMs ?? 250;
  const started = Date.now();
  let report = await probe();
  if (report.ready) return report;
  const list = (r: ReadinessReport) =>
    Object.entries(r.sidecars).filter(([, h]) => !h.ready).map(([name, h]) => ({
      name,
      url: h.url,
      error: h.error,
    }));
  log.info("waiting for sidecars", { sidecars: list(report), timeoutMs });
  let lastProgress = started;
  while (!report.ready && !signal?.aborted && Date.now() - started < timeoutMs) {
    await sleep(Math.min(intervalMs, Math.max(0, timeoutMs - (Date.now() - started))), signal);
    if (signal?.aborted) break;
    report = await probe();
    if (!report.ready && Date.now() - lastProgress >= 5_000) {
      lastProgress = Date.now();
      log.info("still waiting for sidecars", {
        sidecars: list(report),
        waitedMs: Date.now() - started,
      });
    }
  }
  const waitedMs = Date.now() - started;
  if (report.ready) log.info("sidecars ready", { waitedMs });
  else if (signal?.aborted) log.info("stopped waiting for sidecars", { waitedMs });
  else {
    log.warn(
      "sidecars not ready within the start-up bound; serving anyway, /ready stays 503 until they answer",
      { sidecars: list(report), waitedMs },
    );
  }
  return report;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
