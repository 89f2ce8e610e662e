import { isoTime } from "./_log.ts";
import type { NodeOutcome, RunPlan, Slots } from "./_protocol.ts";
import type { NodeResult, NodeStatus, RunResult } from "./types.ts";

/** The `error` of an ok node whose output did not survive its sandbox. */
export const LOST_OUTPUT =
  "finished ok, but its output was lost when the sandbox was terminated later in the run";

/**
 * Assembles the JSON run result from every node's outcome. Outputs of ok nodes that returned
 * nothing are `null`, so every ok node appears in `outputs`.
 */
export function buildResult(
  plan: RunPlan,
  runId: string,
  outcomes: readonly NodeOutcome[],
  startedAt: number,
  finishedAt: number,
): RunResult {
  const outputs: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const nodes: Record<string, NodeResult> = {};
  let success = true;
  for (const node of plan.nodes) {
    const o = outcomes[node.index]!;
    const result: NodeResult = { status: o.status, attempts: o.attempts, durationMs: o.durationMs };
    if (o.startedAt !== undefined) result.startedAt = isoTime(o.startedAt);
    if (o.status === "ok") {
      if (!o.lost) outputs[node.name] = o.output ?? null;
      else result.error = LOST_OUTPUT;
    } else {
      success = false;
      result.error = o.error ?? o.status;
      errors[node.name] = result.error;
    }
    nodes[node.name] = result;
  }
  return {
    runId,
    success,
    outputs,
    errors,
    nodes,
    timing: {
      startedAt: isoTime(startedAt),
      finishedAt: isoTime(finishedAt),
      durationMs: finishedAt - startedAt,
    },
  };
}

/** Why a sandbox stopped before reporting, for nodes it had not reported. */
export interface Stop {
  /** The node that blocked the sandbox past its timeout, if that was the reason. */
  culprit?: { index: number; error: string };
  /** What running nodes become. */
  running: { status: NodeStatus; error: string };
  /** Why nodes that had not started did not (they end `cancelled`, or `skipped` below a
   * culprit). */
  pending: string;
}

const STATES: NodeStatus[] = ["ok", "failed", "timed_out", "skipped", "cancelled"];

/**
 * Completes `outcomes` after a sandbox was terminated, from its shared slots: what the
 * sandbox had reported stays; the rest is derived from the slot states.
 */
export function completeOutcomes(
  plan: RunPlan,
  outcomes: (NodeOutcome | undefined)[],
  slots: Slots,
  now: number,
  stop: Stop,
): NodeOutcome[] {
  const below = stop.culprit ? descendants(plan, stop.culprit.index) : new Map<number, string>();
  for (const node of plan.nodes) {
    const i = node.index;
    if (outcomes[i] !== undefined) continue;
    const state = slots.state[i]!;
    const startedAt = slots.startedAt[i] || undefined;
    const timing = startedAt === undefined
      ? { attempts: 0, durationMs: 0 }
      : { attempts: slots.attempts[i]!, startedAt, durationMs: now - startedAt };
    if (stop.culprit?.index === i) {
      outcomes[i] = { status: "timed_out", ...timing, error: stop.culprit.error };
    } else if (state >= 2) {
      const status = STATES[state - 2]!;
      const ended = { ...timing, durationMs: slots.durationMs[i]! };
      const lost = "its details were lost when the sandbox was terminated";
      outcomes[i] = status === "ok"
        ? { status, ...ended, lost: true }
        : { status, ...ended, error: `${status} (${lost})` };
    } else if (state === 1) {
      outcomes[i] = { ...timing, ...stop.running };
    } else if (below.has(i)) {
      outcomes[i] = { status: "skipped", attempts: 0, durationMs: 0, error: below.get(i)! };
    } else {
      outcomes[i] = { status: "cancelled", attempts: 0, durationMs: 0, error: stop.pending };
    }
  }
  return outcomes as NodeOutcome[];
}

function descendants(plan: RunPlan, root: number): Map<number, string> {
  const reasons = new Map<number, string>();
  const stack = [root];
  while (stack.length > 0) {
    const parent = plan.nodes[stack.pop()!]!;
    for (const c of parent.children) {
      if (reasons.has(c)) continue;
      reasons.set(
        c,
        parent.index === root
          ? `skipped because parent "${parent.name}" ended timed_out`
          : `skipped because parent "${parent.name}" was skipped`,
      );
      stack.push(c);
    }
  }
  return reasons;
}

/** Every node `cancelled` with `reason`: a run that never got a sandbox. */
export function unstartedOutcomes(plan: RunPlan, reason: string): NodeOutcome[] {
  return plan.nodes.map(() => ({ status: "cancelled", attempts: 0, durationMs: 0, error: reason }));
}
