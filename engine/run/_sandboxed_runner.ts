import type { Secrets } from "./context.ts";
import type { LogRecord, LogSink } from "./options.ts";
import { formatMs } from "./_attempt.ts";
import { HostRun } from "./_host_run.ts";
import { longestRunMs } from "./_longest_run.ts";
import { Pool, type PoolOptions } from "./_pool.ts";
import type { NodeOutcome, RunPlan, SandboxMessage, Slots } from "./_protocol.ts";
import { allocateSlots, slotViews } from "./_protocol.ts";
import { buildResult, completeOutcomes, type Stop, unstartedOutcomes } from "./_result.ts";
import { Sandbox, type SandboxHandler } from "./_sandbox.ts";
import { blockedStop, bouncedRecord, cancelMessage, plainStop, stuckRecord } from "./_stops.ts";
import { Watchdog } from "./_watchdog.ts";
import { NodeLoadError } from "./node_load_error.ts";
import type { RunnerStats, RunOptions, RunResult, WorkflowRunner } from "./types.ts";

const WATCHDOG_MS = 50;
/** Watchdog scans with no run in flight before the watchdog stops (restarted by a run). */
const IDLE_SCANS = 20;
const TRIM_MS = 10_000;
const UNREPORTED = plainStop("failed", "the sandbox did not report this node");
const LOST = plainStop("failed", "the sandbox was terminated before its report arrived");

/** Runs a plan in warm Worker sandboxes: one sandbox per run, node timeouts enforced by a
 * watchdog that terminates a sandbox blocked past a deadline. */
export class SandboxedRunner implements WorkflowRunner, SandboxHandler {
  readonly #plan: RunPlan;
  /** See {@linkcode WorkflowRunner.longestRunMs}. */
  readonly longestRunMs: number;
  readonly #sink: LogSink;
  readonly #killGraceMs: number;
  /** All-zero slots (never written): completes runs without a sandbox's slots to read. */
  readonly #blank: Slots;
  readonly #pools: Pool[];
  readonly #active = new Set<HostRun>();
  readonly #watchdog = new Watchdog(
    WATCHDOG_MS,
    IDLE_SCANS,
    () => this.#active.size > 0,
    () => this.#scan(),
  );
  #stuck = 0;
  readonly #trim: ReturnType<typeof setInterval>;
  #closed = false;

  private constructor(
    plan: RunPlan,
    secrets: Secrets,
    sink: LogSink,
    killGraceMs: number,
    pool: PoolOptions,
  ) {
    this.#plan = plan;
    this.longestRunMs = longestRunMs(plan);
    this.#sink = sink;
    this.#killGraceMs = killGraceMs;
    this.#blank = slotViews(allocateSlots(plan.nodes.length), plan.nodes.length);
    this.#pools = plan.profiles.map((_, profile) =>
      new Pool(() => new Sandbox(plan, profile, secrets, this), pool)
    );
    this.#trim = setInterval(() => this.#pools.forEach((p) => p.trim(Date.now())), TRIM_MS);
    this.#trim.unref();
  }

  /** Starts the warm sandboxes of every profile in use and checks every node module loads. */
  static async create(
    plan: RunPlan,
    secrets: Secrets,
    sink: LogSink,
    killGraceMs: number,
    pool: PoolOptions,
    loadTimeoutMs: number,
  ): Promise<SandboxedRunner> {
    const runner = new SandboxedRunner(plan, secrets, sink, killGraceMs, pool);
    const used = new Set(plan.nodes.map((n) => n.profile));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const warming = Promise.all([...used].map((p) => runner.#pools[p]!.warmUp()));
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(runner.#loadTimeout(loadTimeoutMs)), loadTimeoutMs);
      });
      const warm = await Promise.race([warming, late]);
      const errors: Record<string, string> = {};
      for (const sandbox of warm.flat()) Object.assign(errors, await sandbox.ready);
      if (Object.keys(errors).length > 0) throw new NodeLoadError(errors);
    } catch (error) {
      await runner.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return runner;
  }

  /** The error for sandboxes that did not load their node modules within `ms`. */
  #loadTimeout(ms: number): NodeLoadError {
    const errors: Record<string, string> = {};
    for (const pool of this.#pools) {
      for (const sandbox of pool.sandboxes) {
        if (sandbox.started) continue;
        for (const node of this.#plan.nodes) {
          if (node.profile !== sandbox.profile || sandbox.slots.state[node.index] !== 0) continue;
          errors[node.name] = `node "${node.name}": ${node.moduleUrl} did not finish loading ` +
            `within ${formatMs(ms)}: its top-level code never returns (a loop, or an await ` +
            "that never settles)";
        }
      }
    }
    return new NodeLoadError(errors);
  }

  async run(input: unknown, options: RunOptions = {}): Promise<RunResult> {
    if (this.#closed) throw new Error("the runner is closed");
    const run = new HostRun(
      options.runId ?? crypto.randomUUID(),
      input,
      this.#plan.nodes.length,
      options.logFields,
    );
    const { runTimeoutMs } = this.#plan;
    if (runTimeoutMs !== null) {
      // The sandbox ends the run at its deadline itself; the watchdog kills it if it cannot.
      run.deadline = run.startedAt + runTimeoutMs;
      run.killAt = run.deadline + this.#killGraceMs;
    }
    const { signal } = options;
    const onAbort = () => this.#cancel(run, "cancelled", cancelMessage(signal!));
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#active.add(run);
    this.#watchdog.ensure();
    if (!run.finished) this.#dispatch(run, true);
    const result = await run.promise;
    signal?.removeEventListener("abort", onAbort);
    this.#active.delete(run);
    return result;
  }

  /**
   * Gives `run` to a sandbox of the home profile: new runs may queue behind a short one in a
   * busy sandbox; runs handed back go first to the next sandbox that comes free.
   */
  #dispatch(run: HostRun, fresh: boolean): void {
    const pool = this.#pools[this.#plan.homeProfile]!;
    const give = (sandbox: Sandbox) => {
      if (run.finished) return pool.giveBack(sandbox);
      try {
        sandbox.postRun(run, run.deadline);
      } catch (error) {
        pool.giveBack(sandbox);
        this.#finishUnstarted(
          run,
          `not started: the input cannot be sent to a sandbox: ${
            (error as Error)?.message ?? error
          }`,
        );
      }
    };
    const acquired = pool.acquire(fresh, !fresh);
    if (acquired instanceof Sandbox) return give(acquired);
    acquired.then(
      give,
      (error: Error) => this.#finishUnstarted(run, `not started: ${error.message}`),
    );
  }

  /** Dispatches again a run a sandbox gave back unstarted, unless it should stop. */
  #requeue(run: HostRun): void {
    run.home = null;
    if (run.finished) return;
    const stop = run.stopRequest ?? (this.#closed ? { message: "the runner was closed" } : null);
    if (stop) return this.#finishUnstarted(run, `not started: ${stop.message}`);
    this.#dispatch(run, false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const runs = [...this.#active];
    for (const run of runs) this.#cancel(run, "cancelled", "the runner was closed");
    if (runs.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, this.#killGraceMs)));
      await Promise.race([Promise.all(runs.map((r) => r.promise)), grace]);
      clearTimeout(timer);
    }
    const stop = plainStop("cancelled", "the runner was closed");
    for (const run of runs) {
      if (!run.finished && run.home && !run.home.dead) this.#kill(run.home, stop);
    }
    for (const pool of this.#pools) {
      for (const sandbox of pool.sandboxes) if (sandbox.job) this.#noteStuck(sandbox, stop);
    }
    this.#pools.forEach((p) => p.close());
    this.#watchdog.stop();
    clearInterval(this.#trim);
    await Promise.all(runs.map((r) => r.promise));
  }

  message(sandbox: Sandbox, msg: SandboxMessage): void {
    if (msg.t === "log" || msg.t === "progress" || msg.t === "done" || msg.t === "nodeDone") {
      this.#emit(msg.logs);
    }
    if (msg.t === "bounced") {
      for (const run of sandbox.unqueue(msg.runIds)) {
        if (this.#plan.logLevel === "debug") this.#emit([bouncedRecord(run.runId)]);
        this.#requeue(run);
      }
      return;
    }
    const job = sandbox.job;
    if (msg.t === "log" || job === null) return;
    const run = job.run;
    switch (msg.t) {
      case "progress":
        return run.merge(msg.settled);
      case "done":
        run.merge(msg.settled);
        this.#pools[sandbox.profile]!.noteRunMs(msg.ms);
        this.#endJob(sandbox, msg.dirty);
        return this.#complete(run);
      case "call":
        return this.#call(sandbox, run, msg.callId, msg.node, msg.input);
      case "abortCall":
        for (const s of run.calls) {
          if (s.job?.kind === "call" && s.job.homeCallId === msg.callId) {
            s.post({ t: "cancel", runId: run.runId, status: msg.status, message: msg.message });
          }
        }
        return;
      case "nodeDone":
        if (job.kind !== "call") return;
        run.calls.delete(sandbox);
        this.#endJob(sandbox, msg.dirty);
        return this.#reply(job.home, run, job.homeCallId, msg.outcome);
    }
  }

  crashed(sandbox: Sandbox, reason: string): void {
    const stop = plainStop("failed", `the sandbox crashed: ${reason}`);
    if (sandbox.job) this.#kill(sandbox, stop, false);
    else if (sandbox.started) this.#pools[sandbox.profile]!.discard(sandbox);
    else sandbox.terminate();
  }

  #call(home: Sandbox, run: HostRun, callId: number, index: number, input: unknown): void {
    const pool = this.#pools[this.#plan.nodes[index]!.profile]!;
    const give = (sandbox: Sandbox) => {
      if (run.finished || home.job?.run !== run) return pool.giveBack(sandbox);
      try {
        sandbox.post({
          t: "node",
          callId,
          runId: run.runId,
          node: index,
          input,
          logFields: run.logFields,
        });
      } catch (error) {
        pool.giveBack(sandbox);
        return this.#reply(home, run, callId, {
          status: "failed",
          attempts: 0,
          durationMs: 0,
          error: `the input cannot be sent to the node's sandbox: ${
            (error as Error)?.message ?? error
          }`,
        });
      }
      sandbox.job = { kind: "call", run, homeCallId: callId, home };
      run.calls.add(sandbox);
    };
    const acquired = pool.acquire(false);
    if (acquired instanceof Sandbox) return give(acquired);
    acquired.then(give, (error: Error) =>
      this.#reply(home, run, callId, {
        status: "failed",
        attempts: 0,
        durationMs: 0,
        error: `no sandbox for the node: ${error.message}`,
      }));
  }

  #reply(home: Sandbox, run: HostRun, callId: number, outcome: NodeOutcome): void {
    if (!run.finished && home.job?.run === run) home.post({ t: "reply", callId, outcome });
  }

  #cancel(run: HostRun, status: "cancelled" | "timed_out", message: string): void {
    if (run.finished) return;
    run.stopRequest ??= { status, message };
    const home = run.home;
    if (home === null) return this.#finishUnstarted(run, `not started: ${message}`);
    // The sandbox stops the run, or hands it back unstarted when it is still queued there.
    home.post({ t: "cancel", runId: run.runId, status, message });
    for (const s of run.calls) s.post({ t: "cancel", runId: run.runId, status, message });
    const stop = plainStop(status, message);
    run.timers.push(setTimeout(() => {
      if (!run.finished && run.home && this.#running(run.home, run)) this.#kill(run.home, stop);
    }, this.#killGraceMs));
  }

  /** Whether `run` is the run `sandbox` is executing now (not queued, not done). */
  #running(sandbox: Sandbox, run: HostRun): boolean {
    const job = sandbox.job;
    return job?.kind === "run" && job.run === run &&
      Atomics.load(sandbox.slots.current, 0) === job.seq;
  }

  /** Counters for metrics and health checks. */
  stats(): RunnerStats {
    const stats = { sandboxes: 0, busy: 0, queued: 0, stuckSandboxes: this.#stuck };
    for (const pool of this.#pools) {
      stats.sandboxes += pool.sandboxes.size;
      stats.queued += pool.waiting;
      for (const sandbox of pool.sandboxes) {
        if (sandbox.job) stats.busy++;
        stats.queued += sandbox.queue.length;
      }
    }
    return stats;
  }

  /**
   * Terminates a sandbox and settles what it was doing. `blocked`: it did not answer in time,
   * so node code is presumably holding its thread (see {@linkcode RunnerStats.stuckSandboxes}).
   */
  #kill(sandbox: Sandbox, stop: Stop, blocked = true): void {
    if (blocked) this.#noteStuck(sandbox, stop);
    const job = sandbox.job;
    const queued = sandbox.queue.splice(0);
    this.#pools[sandbox.profile]!.discard(sandbox);
    if (job === null) return;
    const now = Date.now();
    if (job.kind === "run") {
      const current = Atomics.load(sandbox.slots.current, 0);
      for (const { run, seq } of [job, ...queued]) {
        if (seq > current) this.#requeue(run); // never started: it runs elsewhere
        else if (seq < current) this.#complete(run, LOST); // finished, its report in flight
        else {
          for (const s of run.calls) {
            s.post({ t: "cancel", runId: run.runId, status: "cancelled", message: stop.pending });
          }
          completeOutcomes(this.#plan, run.outcomes, sandbox.slots, now, stop);
          this.#complete(run);
        }
      }
      return;
    }
    job.run.calls.delete(sandbox);
    const outcomes = completeOutcomes(this.#plan, [], sandbox.slots, now, stop);
    const index = [...sandbox.slots.state].findIndex((s) => s === 1);
    this.#reply(job.home, job.run, job.homeCallId, outcomes[Math.max(0, index)]!);
  }

  #scan(): void {
    const wall = Date.now();
    for (const run of this.#active) {
      if (run.killAt === undefined || run.killAt > wall || run.finished) continue;
      const message = `run timed out after ${this.#plan.runTimeoutText}`;
      run.stopRequest ??= { status: "timed_out", message };
      const home = run.home;
      // Still waiting for a sandbox: it will not start. Queued behind another run: it ends
      // (timed out) as soon as it starts, when that run is done or killed.
      if (home === null) this.#finishUnstarted(run, `not started: ${message}`);
      else if (this.#running(home, run)) this.#kill(home, plainStop("timed_out", message));
    }
    const now = wall - this.#killGraceMs;
    for (const pool of this.#pools) {
      for (const sandbox of [...pool.sandboxes]) {
        if (sandbox.job === null) continue;
        const deadlines = sandbox.slots.deadline;
        for (let i = 0; i < deadlines.length; i++) {
          const d = deadlines[i]!;
          if (d > 0 && now > d) {
            this.#kill(sandbox, blockedStop(this.#plan, i));
            break;
          }
        }
      }
    }
  }

  /** Counts and reports a sandbox whose Worker thread Deno may not be able to stop. */
  #noteStuck(sandbox: Sandbox, stop: Stop): void {
    if (sandbox.dead) return;
    this.#stuck++;
    this.#emit([stuckRecord(this.#plan, sandbox, stop, this.#stuck)]);
  }

  #endJob(sandbox: Sandbox, dirty: boolean): void {
    const pool = this.#pools[sandbox.profile]!;
    sandbox.advance();
    if (!dirty) return pool.release(sandbox);
    // Node code of the last job still runs there: the sandbox started nothing queued after it.
    const queued = sandbox.job?.kind === "run" ? [sandbox.job.run, ...sandbox.unqueue()] : [];
    sandbox.job = null;
    pool.discard(sandbox);
    for (const run of queued) this.#requeue(run);
  }

  /** Ends `run` with its reported outcomes; nodes it has none for end as `stop` says. */
  #complete(run: HostRun, stop: Stop = UNREPORTED): void {
    if (run.finished) return;
    const outcomes =
      run.outcomes.includes(undefined) || run.outcomes.length < this.#plan.nodes.length
        ? completeOutcomes(this.#plan, run.outcomes, this.#blank, Date.now(), stop)
        : run.outcomes as NodeOutcome[];
    run.finish(buildResult(this.#plan, run.runId, outcomes, run.startedAt, Date.now()));
  }

  #finishUnstarted(run: HostRun, reason: string): void {
    const outcomes = unstartedOutcomes(this.#plan, reason);
    run.finish(buildResult(this.#plan, run.runId, outcomes, run.startedAt, Date.now()));
  }

  #emit(logs: LogRecord[]): void {
    for (const record of logs) {
      try {
        this.#sink(record);
      } catch {
        // a failing sink must not take the runner down
      }
    }
  }
}
