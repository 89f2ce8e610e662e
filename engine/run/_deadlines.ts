/** Something that must be told when its deadline passes. */
export interface Deadline {
  /** Epoch ms. */
  readonly deadline: number;
  /** Called once when the deadline has passed, unless the entry was deleted first. */
  expire(): void;
}

/**
 * Many deadlines on one timer. The timer is armed at the earliest deadline and left armed when
 * entries leave, so adding and deleting an entry (once per node attempt, on the hot path)
 * costs no timer operation as long as new deadlines lie beyond the armed one — the usual case,
 * as nodes mostly share a timeout. On this machine a Deno timer set and cleared per run cost
 * ~50 µs of CPU, more than the scheduling of a whole trivial run.
 */
export class Deadlines {
  readonly #entries = new Set<Deadline>();
  readonly #unref: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedAt = Infinity;

  /**
   * @param idleUnref Whether the timer, while it watches nothing, may let the process exit (for
   *   the in-process runner; a sandbox's Worker lives on anyway).
   */
  constructor(idleUnref = false) {
    this.#unref = idleUnref;
  }

  /** Watches `entry` until it expires or is deleted. */
  add(entry: Deadline): void {
    this.#entries.add(entry);
    if (entry.deadline < this.#armedAt) this.#arm(entry.deadline);
    else if (this.#unref && this.#entries.size === 1) Deno.refTimer(this.#timer!);
  }

  /** Stops watching `entry`. */
  delete(entry: Deadline): void {
    if (!this.#entries.delete(entry)) return;
    if (this.#unref && this.#entries.size === 0 && this.#timer) Deno.unrefTimer(this.#timer);
  }

  /** Drops every entry and the timer. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedAt = Infinity;
    this.#entries.clear();
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#armedAt = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - Date.now()));
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#armedAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const entry of [...this.#entries]) {
      if (entry.deadline <= now) {
        this.#entries.delete(entry);
        entry.expire();
      } else {
        next = Math.min(next, entry.deadline);
      }
    }
    if (next < Infinity && next < this.#armedAt) this.#arm(next);
  };
}
