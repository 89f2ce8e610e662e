import type { NodeOutcome, Settled } from "./_protocol.ts";
import type { Sandbox } from "./_sandbox.ts";
import type { RunResult } from "./types.ts";

/** The host's view of one run in flight. */
export class HostRun {
  readonly runId: string;
  readonly input: unknown;
  readonly logFields: Record<string, unknown> | undefined;
  readonly startedAt = Date.now();
  readonly outcomes: (NodeOutcome | undefined)[];
  readonly promise: Promise<RunResult>;
  /** The sandbox running the whole run (or holding it in its queue), once one took it. */
  home: Sandbox | null = null;
  /** Sandboxes running single nodes of this run. */
  readonly calls = new Set<Sandbox>();
  finished = false;
  /** Epoch ms by which the run must end (`config.runTimeout` from acceptance), or null. */
  deadline: number | null = null;
  /** Epoch ms after which the watchdog terminates the home sandbox (run deadline + grace). */
  killAt: number | undefined;
  /** Set once the run was asked to stop (cancel, deadline): it must not start anywhere. */
  stopRequest: { status: "cancelled" | "timed_out"; message: string } | null = null;
  timers: ReturnType<typeof setTimeout>[] = [];
  #resolve!: (result: RunResult) => void;

  constructor(
    runId: string,
    input: unknown,
    nodeCount: number,
    logFields: Record<string, unknown> | undefined,
  ) {
    this.runId = runId;
    this.input = input;
    this.logFields = logFields;
    this.outcomes = new Array(nodeCount);
    this.promise = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Records nodes the sandbox reported. */
  merge(settled: Settled[]): void {
    for (const [i, outcome] of settled) this.outcomes[i] = outcome;
  }

  /** Ends the run with its result (once). */
  finish(result: RunResult): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.timers) clearTimeout(t);
    this.#resolve(result);
  }
}
