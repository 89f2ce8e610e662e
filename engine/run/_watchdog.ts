/**
 * A periodic check that runs only while there is work: started on demand, it stops itself
 * after `idleScans` ticks with nothing to watch. One interval for all runs instead of a timer
 * per run (see `Deadlines` for why timers on the run path matter), and unref'd so an idle
 * runner never keeps the process alive.
 */
export class Watchdog {
  readonly #everyMs: number;
  readonly #idleScans: number;
  readonly #busy: () => boolean;
  readonly #scan: () => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #idle = 0;

  /**
   * @param everyMs Interval between scans.
   * @param idleScans Ticks without work before the interval stops.
   * @param busy Whether there is anything to watch.
   * @param scan The check, called on ticks while busy.
   */
  constructor(everyMs: number, idleScans: number, busy: () => boolean, scan: () => void) {
    this.#everyMs = everyMs;
    this.#idleScans = idleScans;
    this.#busy = busy;
    this.#scan = scan;
  }

  /** Makes sure the interval runs. */
  ensure(): void {
    this.#idle = 0;
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(this.#tick, this.#everyMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Stops the interval. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick = (): void => {
    if (this.#busy()) {
      this.#idle = 0;
      return this.#scan();
    }
    if (++this.#idle >= this.#idleScans) this.stop();
  };
}
