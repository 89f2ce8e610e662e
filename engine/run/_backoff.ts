/**
 * The delay before retry number `retry` (1 = the first retry): exponential with "equal jitter"
 * — half of the exponential step is fixed, half random — capped at `maxMs`.
 *
 * @param retry The retry number, from 1.
 * @param baseMs The first step (before jitter).
 * @param maxMs The cap.
 * @param random A random source in [0, 1).
 * @returns The delay in ms, in [step / 2, step) where step = min(maxMs, baseMs * 2^(retry-1)).
 */
export function backoffDelay(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const step = backoffStep(retry, baseMs, maxMs);
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The exponential step before retry number `retry` (1 = the first), capped at `maxMs`: the
 * longest {@linkcode backoffDelay} can be.
 */
export function backoffStep(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
