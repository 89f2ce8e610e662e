import type { Secrets } from "./context.ts";
import type { HostRun } from "./_host_run.ts";
import type { HostMessage, Profile, RunPlan, SandboxMessage, Slots } from "./_protocol.ts";
import { allocateSlots, slotViews } from "./_protocol.ts";

const WORKER_URL = new URL("./_worker.ts", import.meta.url);

/** What a sandbox is doing: a whole run, or one node of a run homed elsewhere. */
export type Job =
  | { kind: "run"; run: HostRun }
  | { kind: "call"; run: HostRun; homeCallId: number; home: Sandbox };

/** Receives what sandboxes report. */
export interface SandboxHandler {
  message(sandbox: Sandbox, msg: SandboxMessage): void;
  crashed(sandbox: Sandbox, reason: string): void;
}

/** A warm Worker with one permission profile; runs one job at a time. */
export class Sandbox {
  readonly profile: number;
  readonly slots: Slots;
  /** Resolves with per-node module load errors once the node modules are imported. */
  readonly ready: Promise<Record<string, string>>;
  job: Job | null = null;
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
