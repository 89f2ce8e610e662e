/**
 * A FIFO concurrency limiter with a bounded wait queue.
 * @module
 */

interface Waiter {
  grant: () => void;
  fail: (reason: unknown) => void;
}

/** At most `concurrency` holders; at most `maxQueue` waiters (checked by `hasRoom`). */
export class Limiter {
  #running = 0;
  #queue: Waiter[] = [];

  /**
   * @param concurrency Slots.
   * @param maxQueue Waiters allowed.
   */
  constructor(readonly concurrency: number, readonly maxQueue: number) {}

  /** Slots in use. */
  get running(): number {
    return this.#running;
  }

  /** Waiters. */
  get queued(): number {
    return this.#queue.length;
  }

  /** True when a new request would run at once or fit in the queue. */
  hasRoom(): boolean {
    return this.#running < this.concurrency || this.#queue.length < this.maxQueue;
  }

  /**
   * Waits for a slot. Resolves to a release function (idempotent).
   * Rejects with `signal.reason` when aborted while waiting.
   */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#running < this.concurrency && this.#queue.length === 0) {
      this.#running++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener("abort", onAbort);
          this.#running++;
          resolve(this.#releaser());
        },
        fail: reject,
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      const next = this.#queue.shift();
      next?.grant();
    };
  }
}
