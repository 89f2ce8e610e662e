import { backoffStep } from "./_backoff.ts";
import type { PlanNode, RunPlan } from "./_protocol.ts";

/** What {@linkcode longestRunMs} reads of a plan. */
export type RunLimits = Pick<RunPlan, "runTimeoutMs" | "retryBaseMs" | "retryMaxMs"> & {
  nodes: Pick<PlanNode, "index" | "parents" | "timeoutMs" | "retries">[];
};

/**
 * The longest a run of `plan` can go on once started, from its own limits alone: the critical
 * path of the DAG where a node costs every attempt's timeout plus the longest backoff before
 * each retry, capped by `config.runTimeout` when one is set. A run that waited for a sandbox
 * first may take up to one more node timeout (it is handed on when the sandbox it queued in is
 * terminated at its blocking node's deadline), which is added.
 *
 * The engine drains for this long, not only the SIGTERM grace period, when it restarts itself
 * after a stuck sandbox: runs in flight then finish on their own instead of being cancelled.
 *
 * @param plan The run plan (per node: parents, timeout, retries; the backoff settings).
 * @returns Milliseconds; finite, since every node attempt has a timeout.
 * @example
 * ```ts
 * import { longestRunMs } from "./_longest_run.ts";
 * // a -> b, 1 s timeouts, b has one retry after at most 200 ms: 1000 + (2 * 1000 + 200),
 * // plus one node timeout for a wait behind a blocked sandbox.
 * const nodes = [
 *   { index: 0, parents: [], timeoutMs: 1_000, retries: 0 },
 *   { index: 1, parents: [0], timeoutMs: 1_000, retries: 1 },
 * ];
 * const plan = { nodes, runTimeoutMs: null, retryBaseMs: 200, retryMaxMs: 10_000 };
 * console.assert(longestRunMs(plan) === 4_200);
 * console.assert(longestRunMs({ ...plan, runTimeoutMs: 2_000 }) === 3_000);
 * ```
 */
export function longestRunMs(plan: RunLimits): number {
  const finish = new Map<number, number>();
  const finishOf = (index: number): number => {
    let ms = finish.get(index);
    if (ms !== undefined) return ms;
    const node = plan.nodes[index]!;
    let backoff = 0;
    for (let retry = 1; retry <= node.retries; retry++) {
      backoff += backoffStep(retry, plan.retryBaseMs, plan.retryMaxMs);
    }
    const own = node.timeoutMs * (node.retries + 1) + backoff;
    ms = own + Math.max(0, ...node.parents.map(finishOf));
    finish.set(index, ms);
    return ms;
  };
  const path = Math.max(0, ...plan.nodes.map((n) => finishOf(n.index)));
  const run = plan.runTimeoutMs === null ? path : Math.min(path, plan.runTimeoutMs);
  return run + Math.max(0, ...plan.nodes.map((n) => n.timeoutMs));
}
