// Data shared by the host (runner) and the sandboxes: everything here is structured-cloneable.
import type { DependencyInfo, LogLevel, Secrets } from "./context.ts";
import type { LogRecord } from "./options.ts";
import type { NodeStatus } from "./types.ts";

/** A node as the scheduler sees it: indexes instead of names. */
export interface PlanNode {
  name: string;
  index: number;
  /** file: URL of the node module. */
  moduleUrl: string;
  parents: number[];
  children: number[];
  timeoutMs: number;
  retries: number;
  /** Index into {@linkcode RunPlan.profiles}. */
  profile: number;
  /** Dependencies this node may use (null: all of the contract's). */
  dependencies: string[] | null;
  /** Sidecars this node may call (null: all). */
  sidecars: string[] | null;
}

/** A sidecar as node code sees it. */
export interface SidecarInfo {
  name: string;
  url: string;
  healthPath: string;
}

/** A set of Deno permissions a sandbox runs with. */
export interface Profile {
  net: string[];
  read: string[];
  write: string[];
  env: string[];
}

/** Everything a sandbox needs to run nodes of one workflow. */
export interface RunPlan {
  workflow: string;
  nodes: PlanNode[];
  config: Record<string, unknown>;
  /** The whole-run deadline, when `config.runTimeout` is set. */
  runTimeoutMs: number | null;
  runTimeoutText: string | null;
  dependencies: Record<string, DependencyInfo>;
  sidecars: Record<string, SidecarInfo>;
  /** The real directory behind `/shared` (`ctx.sharedDir`). */
  sharedDir: string;
  profiles: Profile[];
  /** The profile whose sandboxes run whole runs. */
  homeProfile: number;
  retryBaseMs: number;
  retryMaxMs: number;
  logLevel: LogLevel;
}

/** How one node ended (times in epoch ms). */
export interface NodeOutcome {
  status: NodeStatus;
  attempts: number;
  startedAt?: number;
  durationMs: number;
  error?: string;
  output?: unknown;
  /** Set when the node finished ok but its output was lost with a terminated sandbox. */
  lost?: boolean;
}

/** A settled node: its index and outcome. */
export type Settled = [index: number, outcome: NodeOutcome];

/** Messages from the host to a sandbox. */
export type HostMessage =
  | { t: "init"; plan: RunPlan; profile: number; secrets: Secrets; sab: SharedArrayBuffer }
  | {
    t: "run";
    runId: string;
    /** Order of the run in its sandbox; written to {@linkcode Slots.current} when it starts. */
    seq: number;
    input: unknown;
    /** Epoch ms by which the whole run must end (`config.runTimeout`), or null. */
    deadline: number | null;
    logFields?: Record<string, unknown>;
  }
  | {
    t: "node";
    callId: number;
    runId: string;
    node: number;
    input: unknown;
    logFields?: Record<string, unknown>;
  }
  | { t: "cancel"; runId: string; status: "cancelled" | "timed_out"; message: string }
  | { t: "reply"; callId: number; outcome: NodeOutcome };

/** Messages from a sandbox to the host. */
export type SandboxMessage =
  | { t: "ready"; loadErrors: Record<string, string> }
  | { t: "progress"; runId: string; logs: LogRecord[]; settled: Settled[] }
  | { t: "done"; runId: string; logs: LogRecord[]; settled: Settled[]; dirty: boolean; ms: number }
  /** Queued runs handed back unstarted (their run turned out slow, or they were cancelled). */
  | { t: "bounced"; runIds: string[] }
  | { t: "call"; runId: string; callId: number; node: number; input: unknown }
  | { t: "abortCall"; callId: number; status: "cancelled" | "timed_out"; message: string }
  | { t: "nodeDone"; callId: number; logs: LogRecord[]; outcome: NodeOutcome; dirty: boolean }
  | { t: "log"; logs: LogRecord[] };

/**
 * How long a run in a sandbox may hold up the runs queued behind it before the sandbox hands
 * them back to the host for another sandbox (a run waiting on I/O must not delay them); the
 * host queues nothing behind a run going on this long.
 */
export const PIPELINE_HOLD_MS = 5;

/** Node states in the shared slots: what the watchdog and crash reports read. */
export const SLOT = {
  pending: 0,
  running: 1,
  ok: 2,
  failed: 3,
  timed_out: 4,
  skipped: 5,
  cancelled: 6,
} as const;

/** Views over a sandbox's SharedArrayBuffer, one slot per node. */
export interface Slots {
  /** Epoch ms at which the running attempt times out; 0 when not running. */
  deadline: Float64Array;
  /** Epoch ms the first attempt started; 0 before. */
  startedAt: Float64Array;
  /** Wall time across all attempts in ms, once the node ended. */
  durationMs: Float64Array;
  /** A {@linkcode SLOT} value. */
  state: Int32Array;
  attempts: Int32Array;
  /** `[seq]` of the run the sandbox started last (0 before the first). */
  current: Int32Array;
}

/** Allocates the shared slots for `n` nodes. */
export function allocateSlots(n: number): SharedArrayBuffer {
  return new SharedArrayBuffer(n * 32 + 4);
}

/** Views `sab` (from {@linkcode allocateSlots}) as slots for `n` nodes. */
export function slotViews(sab: SharedArrayBuffer, n: number): Slots {
  return {
    deadline: new Float64Array(sab, 0, n),
    startedAt: new Float64Array(sab, n * 8, n),
    durationMs: new Float64Array(sab, n * 16, n),
    state: new Int32Array(sab, n * 24, n),
    attempts: new Int32Array(sab, n * 28, n),
    current: new Int32Array(sab, n * 32, 1),
  };
}
