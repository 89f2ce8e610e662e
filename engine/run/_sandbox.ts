import type { Secrets } from "./context.ts";
import type { HostRun } from "./_host_run.ts";
import type { HostMessage, Profile, RunPlan, SandboxMessage, Slots } from "./_protocol.ts";
import { allocateSlots, slotViews } from "./_protocol.ts";

const WORKER_URL = new URL("./_worker.ts", import.meta.url);

/** A whole run posted to a sandbox; `seq` orders it there (see `Slots.current`). */
export interface RunJob {
  kind: "run";
  run: HostRun;
  seq: number;
}

/** What a sandbox is doing: a whole run, or one node of a run homed elsewhere. */
export type Job =
  | RunJob
  | { kind: "call"; run: HostRun; homeCallId: number; home: Sandbox };

/** Receives what sandboxes report. */
export interface SandboxHandler {
  message(sandbox: Sandbox, msg: SandboxMessage): void;
  crashed(sandbox: Sandbox, reason: string): void;
}

/**
 * A warm Worker with one permission profile; runs one job at a time: `job`, then the runs in
 * `queue` (posted already, started by the sandbox itself in order).
 */
export class Sandbox {
  readonly profile: number;
  readonly slots: Slots;
  /** Resolves with per-node module load errors once the node modules are imported. */
  readonly ready: Promise<Record<string, string>>;
  /** The job running (or, for a run just promoted from `queue`, starting). */
  job: Job | null = null;
  /** `performance.now()` when `job` became the one running. */
  jobSince = 0;
  /** Runs posted behind `job`, not started yet. */
  readonly queue: RunJob[] = [];
  /** Places in `queue` promised by the pool to jobs about to post. */
  reserved = 0;
  #seq = 0;
  /** Whether it reported ready (crashes before that are not respawned). */
  started = false;
  dead = false;
  idleSince = Date.now();
  readonly #worker: Worker;

  constructor(plan: RunPlan, profile: number, secrets: Secrets, handler: SandboxHandler) {
    this.profile = profile;
    const sab = allocateSlots(plan.nodes.length);
    this.slots = slotViews(sab, plan.nodes.length);
    this.#worker = new Worker(WORKER_URL, {
      type: "module",
      name: `${plan.workflow}#${profile}`,
      deno: { permissions: workerPermissions(plan.profiles[profile]!) },
    });
    let resolveReady!: (errors: Record<string, string>) => void;
    let rejectReady!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.#worker.onmessage = (event: MessageEvent<SandboxMessage>) => {
      const msg = event.data;
      if (msg.t === "ready") {
        this.started = true;
        resolveReady(msg.loadErrors);
      } else handler.message(this, msg);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      rejectReady(new Error(`sandbox failed to start: ${event.message}`));
      handler.crashed(this, event.message);
    };
    this.#worker.onmessageerror = () => handler.crashed(this, "a message could not be read");
    this.post({ t: "init", plan, profile, secrets, sab });
  }

  /**
   * Posts a whole run: it becomes `job` when the sandbox is idle, else it queues.
   * @throws When the input cannot be cloned into the sandbox; nothing changed then.
   */
  postRun(run: HostRun, deadline: number | null): void {
    const seq = this.#seq + 1;
    this.post({
      t: "run",
      runId: run.runId,
      seq,
      input: run.input,
      deadline,
      logFields: run.logFields,
    });
    this.#seq = seq;
    if (this.reserved > 0) this.reserved--;
    const job: RunJob = { kind: "run", run, seq };
    if (this.job === null) {
      this.job = job;
      this.jobSince = performance.now();
    } else this.queue.push(job);
    run.home = this;
  }

  /** Ends `job`; the first queued run (which the sandbox starts by itself) takes its place. */
  advance(): void {
    this.job = this.queue.shift() ?? null;
    this.jobSince = performance.now();
  }

  /** Takes back the queued runs `runIds` (all when omitted), e.g. when they bounced. */
  unqueue(runIds?: readonly string[]): HostRun[] {
    const out: HostRun[] = [];
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const run = this.queue[i]!.run;
      if (runIds && !runIds.includes(run.runId)) continue;
      this.queue.splice(i, 1);
      out.unshift(run);
    }
    return out;
  }

  /** Sends a message (ignored once terminated). */
  post(msg: HostMessage): void {
    if (!this.dead) this.#worker.postMessage(msg);
  }

  /** Stops the Worker at once, even inside an endless loop. */
  terminate(): void {
    if (this.dead) return;
    this.dead = true;
    this.#worker.terminate();
  }
}

/** Deno Worker permissions for a profile: nothing beyond it. */
export function workerPermissions(profile: Profile): Deno.PermissionOptionsObject {
  return {
    net: profile.net.length > 0 ? profile.net : false,
    read: profile.read.length > 0 ? profile.read : false,
    write: profile.write.length > 0 ? profile.write : false,
    env: profile.env.length > 0 ? profile.env : false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}
