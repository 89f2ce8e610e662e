import type { RunnerStats } from "../run/types.ts";

/**
 * The engine's exit code after a drain-for-restart (`EX_TEMPFAIL` of sysexits.h): a sandbox
 * got stuck in a CPU-bound loop, its thread cannot be stopped from inside the process, so the
 * engine drained its runs and exited to be restarted (Kubernetes `restartPolicy: Always`;
 * `tntc dev` restarts it on this code).
 */
export const EXIT_RESTART = 75;

/**
 * Why the engine refuses runs (503 on `POST /run`, reason of `GET /ready`) once a sandbox is
 * stuck; also the reason of the shutdown it starts.
 */
export const STUCK_DRAIN_REASON = "sandbox stuck in a CPU-bound loop; draining for restart";

/** Options of {@linkcode watchStuckSandboxes}. */
export interface StuckWatchOptions {
  /** The runner's counters (`WorkflowRunner.stats`); `undefined` when it has none. */
  stats: () => RunnerStats | undefined;
  /** Called once, with the stuck count, the first time a check finds one. */
  onStuck: (stuckSandboxes: number) => void;
  /** Interval between periodic checks in ms (default 250); the timer never keeps the process alive. */
  everyMs?: number;
}

/** A running watch; see {@linkcode watchStuckSandboxes}. */
export interface StuckWatch {
  /** Checks now (e.g. when a run finishes); returns `true` once a stuck sandbox was seen. */
  check(): boolean;
  /** Stops watching: no more periodic checks, and `check()` no longer reads the counters. */
  stop(): void;
}

/**
 * Watches a runner for sandboxes stuck in node code (`RunnerStats.stuckSandboxes > 0`): Deno
 * cannot interrupt a Worker spinning in a JavaScript loop, so the thread burns a CPU until the
 * process exits. The first time one is seen, `onStuck` is called (once) and the watch stops;
 * the engine then drains and exits with {@linkcode EXIT_RESTART}.
 *
 * @param options The counters to read, the callback and the interval.
 * @returns The watch: `check()` on demand, `stop()` when shutting down.
 * @throws {RangeError} When `everyMs` is not a positive number.
 * @example
 * ```ts
 * import { watchStuckSandboxes } from "./stuck_drain.ts";
 * let stuck = 0;
 * const seen: number[] = [];
 * const watch = watchStuckSandboxes({
 *   stats: () => ({ sandboxes: 1, busy: 0, queued: 0, stuckSandboxes: stuck }),
 *   onStuck: (n) => seen.push(n),
 * });
 * console.assert(watch.check() === false);
 * stuck = 1;
 * console.assert(watch.check() === true && watch.check() === true);
 * console.assert(seen.length === 1 && seen[0] === 1);
 * watch.stop();
 * ```
 */
export function watchStuckSandboxes(options: StuckWatchOptions): StuckWatch {
  const everyMs = options.everyMs ?? 250;
  if (!(everyMs > 0)) throw new RangeError(`everyMs must be a positive number, got ${everyMs}`);
  let fired = false;
  let stopped = false;
  const timer = setInterval(() => check(), everyMs);
  Deno.unrefTimer(timer);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const check = (): boolean => {
    if (fired || stopped) return fired;
    const stuck = options.stats()?.stuckSandboxes ?? 0;
    if (stuck === 0) return false;
    fired = true;
    stop();
    options.onStuck(stuck);
    return true;
  };
  return { check, stop };
}
