import { PIPELINE_HOLD_MS } from "./_protocol.ts";
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
  /**
   * Runs that may queue inside a busy sandbox behind the one it is running (0: none). Queued
   * runs start the moment the sandbox is done, without a round trip through the host, which
   * saves a thread wake-up per run; only while runs are short (see `pipelineMaxMs`).
   */
  pipelineDepth?: number;
  /**
   * The work a busy sandbox may hold queued, in ms: runs queue there only while (queued runs
   * + 1) × their average time in a sandbox stays below this, so short runs queue deep and
   * runs near this long not at all; and only while the run it is running started less than
   * {@linkcode PIPELINE_HOLD_MS} ago.
   */
  pipelineMaxMs?: number;
}

/** A job waiting for a sandbox; `pipeline`: it may queue behind a short run. */
interface Waiter {
  resolve: (s: Sandbox) => void;
  reject: (e: Error) => void;
  pipeline: boolean;
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
  readonly #waiters: Waiter[] = [];
  #spawning = 0;
  #growTimer: ReturnType<typeof setTimeout> | undefined;
  /** When a sandbox was last handed to a job. */
  #lastHandout = 0;
  #lastError: Error | null = null;
  #closed = false;
  /** Moving average of how long runs take in a sandbox (ms); starts as "not short". */
  #runMs: number;

  constructor(spawn: () => Sandbox, options: PoolOptions) {
    this.#spawn = spawn;
    this.#options = options;
    this.#runMs = options.pipelineMaxMs ?? 1;
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

  /**
   * Takes a sandbox for a job, waiting (and growing the pool) when all are busy. With
   * `pipeline`, while runs are short, a busy sandbox with room in its queue comes first (the
   * oldest such sandbox, so short runs gather in few sandboxes, which stay awake, instead of
   * waking an idle one per run), then an idle one; the caller must post its run to the
   * sandbox at once (or hand it back with {@linkcode Pool.giveBack}). `first` puts the job
   * ahead of the waiting ones (a run handed back by a sandbox).
   */
  acquire(pipeline = false, first = false): Sandbox | Promise<Sandbox> {
    if (this.#closed) return Promise.reject(new Error("the runner is closed"));
    if (pipeline && this.#waiters.length === 0) {
      for (const s of this.#all) {
        if (this.#hasRoom(s)) return this.#reserve(s);
      }
    }
    const free = this.#idle.pop();
    if (free) {
      this.#lastHandout = Date.now();
      return free;
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject, pipeline };
      if (first) this.#waiters.unshift(waiter);
      else this.#waiters.push(waiter);
      if (this.#all.size === 0) this.#grow();
      else this.#armGrowth();
    });
  }

  /**
   * Called when a sandbox finished a job: it goes to a waiting job, or idle. A sandbox that
   * went on with a queued run may take another queued one.
   */
  release(sandbox: Sandbox): void {
    if (sandbox.dead || !this.#all.has(sandbox)) return;
    if (sandbox.job !== null) {
      if (!this.#hasRoom(sandbox)) return;
      const at = this.#waiters.findIndex((w) => w.pipeline);
      if (at < 0) return;
      this.#lastHandout = Date.now();
      return this.#waiters.splice(at, 1)[0]!.resolve(this.#reserve(sandbox));
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#lastHandout = Date.now();
      return waiter.resolve(sandbox);
    }
    sandbox.idleSince = Date.now();
    this.#idle.push(sandbox);
  }

  /** Returns a sandbox {@linkcode Pool.acquire} gave for a job that no longer needs it. */
  giveBack(sandbox: Sandbox): void {
    if (sandbox.reserved > 0) sandbox.reserved--;
    else this.release(sandbox);
  }

  /** Records how long a run took in a sandbox (decides whether runs may queue in sandboxes). */
  noteRunMs(ms: number): void {
    this.#runMs += (ms - this.#runMs) / 8;
  }

  #hasRoom(s: Sandbox): boolean {
    const { pipelineDepth = 0, pipelineMaxMs = 1 } = this.#options;
    const queued = s.queue.length + s.reserved;
    return s.job?.kind === "run" && !s.dead && queued < pipelineDepth &&
      (queued + 1) * this.#runMs < pipelineMaxMs &&
      // Runs queued behind this one would be handed back unstarted.
      performance.now() - s.jobSince < PIPELINE_HOLD_MS;
  }

  #reserve(s: Sandbox): Sandbox {
    s.reserved++;
    return s;
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
