import type { Sandbox } from "./_sandbox.ts";

/** Pool sizing. */
export interface PoolOptions {
  /** Sandboxes kept even when idle. */
  warm: number;
  /** Never more than this many. */
  max: number;
  /**
   * How long jobs may queue before the pool grows: up to `fastGrowth` sandboxes whenever jobs
   * queue this long, beyond that only when no sandbox came free for this long (the busy ones
   * hold long runs, e.g. waiting on I/O). Short runs then share few sandboxes instead of
   * spawning one per concurrent request, which costs memory and, on few cores, CPU.
   */
  spawnDelayMs: number;
  /** Sandboxes spawned readily under queueing (e.g. one per CPU core). */
  fastGrowth: number;
  /** Sandboxes beyond `warm` idle this long are retired. */
  idleMs: number;
}

/**
 * The warm sandboxes of one permission profile. Jobs take a sandbox exclusively, so stopping a
 * blocked one never touches another run; under contention the pool grows up to `max` (see
 * {@linkcode PoolOptions.spawnDelayMs}).
 */
export class Pool {
  readonly #spawn: () => Sandbox;
  readonly #options: PoolOptions;
  readonly #idle: Sandbox[] = [];
  readonly #all = new Set<Sandbox>();
  readonly #waiters: { resolve: (s: Sandbox) => void; reject: (e: Error) => void }[] = [];
  #spawning = 0;
  #growTimer: ReturnType<typeof setTimeout> | undefined;
  /** When a sandbox was last handed to a job. */
  #lastHandout = 0;
  #lastError: Error | null = null;
  #closed = false;

  constructor(spawn: () => Sandbox, options: PoolOptions) {
    this.#spawn = spawn;
    this.#options = options;
  }

  /** Every live sandbox (for the watchdog). */
  get sandboxes(): ReadonlySet<Sandbox> {
    return this.#all;
  }

  /** Jobs waiting for a free sandbox. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Starts the warm sandboxes; resolves with them once ready (rejects if one fails). */
  async warmUp(): Promise<Sandbox[]> {
    const started: Sandbox[] = [];
    while (this.#all.size < this.#options.warm) started.push(this.#spawnOne());
    await Promise.all(started.map((s) => s.ready));
    return started;
  }

  /** Takes a free sandbox, waiting (and growing the pool) when all are busy. */
  acquire(): Sandbox | Promise<Sandbox> {
    if (this.#closed) return Promise.reject(new Error("the runner is closed"));
    const free = this.#idle.pop();
    if (free) {
      this.#lastHandout = Date.now();
      return free;
    }
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (this.#all.size === 0) this.#grow();
      else this.#armGrowth();
    });
  }

  /** Returns a sandbox after its job. */
  release(sandbox: Sandbox): void {
    sandbox.job = null;
    if (sandbox.dead || !this.#all.has(sandbox)) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#lastHandout = Date.now();
      return waiter.resolve(sandbox);
    }
    sandbox.idleSince = Date.now();
    this.#idle.push(sandbox);
  }

  /** Terminates a sandbox (blocked, crashed or dirty) and keeps the warm count. */
  discard(sandbox: Sandbox): void {
    sandbox.terminate();
    this.#all.delete(sandbox);
    const at = this.#idle.indexOf(sandbox);
    if (at >= 0) this.#idle.splice(at, 1);
    if (this.#closed) return;
    if (this.#all.size < this.#options.warm || this.#waiters.length > this.#spawning) {
      this.#spawnOne();
    }
  }

  /** Retires sandboxes idle longer than `idleMs`, down to the warm count. */
  trim(now: number): void {
    for (const s of [...this.#idle]) {
      if (this.#all.size <= this.#options.warm) return;
      if (now - s.idleSince >= this.#options.idleMs) this.discard(s);
    }
  }

  /** Terminates everything; queued jobs are rejected. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#growTimer);
    for (const s of this.#all) s.terminate();
    this.#all.clear();
    this.#idle.length = 0;
    for (const w of this.#waiters.splice(0)) w.reject(new Error("the runner is closed"));
  }

  /** Checks again in `spawnDelayMs` whether queued jobs call for another sandbox. */
  #armGrowth(): void {
    this.#growTimer ??= setTimeout(() => {
      this.#growTimer = undefined;
      this.#grow();
    }, this.#options.spawnDelayMs);
  }

  #grow(): void {
    const { max, fastGrowth, spawnDelayMs } = this.#options;
    if (this.#closed || this.#waiters.length <= this.#spawning || this.#all.size >= max) return;
    const stalled = Date.now() - this.#lastHandout >= spawnDelayMs;
    if (stalled || this.#all.size < fastGrowth || this.#all.size === 0) this.#spawnOne();
    if (this.#waiters.length > this.#spawning) this.#armGrowth();
  }

  #spawnOne(): Sandbox {
    this.#spawning++;
    let sandbox: Sandbox;
    try {
      sandbox = this.#spawn();
    } catch (error) {
      this.#spawning--;
      this.#fail(error as Error);
      throw error;
    }
    this.#all.add(sandbox);
    sandbox.ready.then(
      () => {
        this.#spawning--;
        this.release(sandbox);
      },
      (error: Error) => {
        this.#spawning--;
        this.#all.delete(sandbox);
        this.#fail(error);
      },
    );
    return sandbox;
  }

  #fail(error: Error): void {
    this.#lastError = error;
    if (this.#all.size > 0 || this.#spawning > 0) return;
    for (const w of this.#waiters.splice(0)) w.reject(this.#lastError);
  }
}
