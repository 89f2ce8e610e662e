import type { NodeOutcome, PlanNode, RunPlan } from "./_protocol.ts";
import type { RunScope } from "./_attempt.ts";

/** How the scheduler runs nodes and reports them. */
export interface ScheduleHooks {
  /** Runs one node to its outcome (attempts, timeout, retries); never rejects. */
  execute(node: PlanNode, input: unknown): NodeOutcome | Promise<NodeOutcome>;
  /** Called once per node as it settles, in settle order. */
  settled(node: PlanNode, outcome: NodeOutcome): void;
}

/**
 * Runs a plan's DAG by dataflow: each node starts as soon as all its parents are done, so
 * independent branches overlap. A node that does not finish ok gets its descendants skipped
 * at once; when the scope aborts, nodes not yet started end `cancelled`.
 *
 * @returns Every node's outcome, by index.
 */
export function schedule(
  plan: RunPlan,
  input: unknown,
  scope: RunScope,
  hooks: ScheduleHooks,
): Promise<NodeOutcome[]> {
  const { nodes } = plan;
  const outcomes: (NodeOutcome | undefined)[] = new Array(nodes.length);
  const waiting = nodes.map((n) => n.parents.length);
  const started = new Uint8Array(nodes.length);
  let left = nodes.length;
  let resolveAll!: (outcomes: NodeOutcome[]) => void;
  const all = new Promise<NodeOutcome[]>((resolve) => (resolveAll = resolve));

  const settle = (node: PlanNode, outcome: NodeOutcome) => {
    if (outcomes[node.index] !== undefined) return;
    outcomes[node.index] = outcome;
    left--;
    hooks.settled(node, outcome);
    if (outcome.status === "ok") {
      for (const c of node.children) if (--waiting[c]! === 0) start(nodes[c]!);
    } else if (!scope.abortInfo) {
      skipDescendants(node, outcome.status);
    }
    if (left === 0) resolveAll(outcomes as NodeOutcome[]);
  };

  const skipDescendants = (failed: PlanNode, status: string) => {
    const stack: [PlanNode, string][] = [[failed, status]];
    while (stack.length > 0) {
      const [parent, why] = stack.pop()!;
      for (const c of parent.children) {
        if (outcomes[c] !== undefined || started[c]) continue;
        const child = nodes[c]!;
        const error = why === "skipped"
          ? `skipped because parent "${parent.name}" was skipped`
          : `skipped because parent "${parent.name}" ${
            why === "failed" ? "failed" : `ended ${why}`
          }`;
        outcomes[c] = { status: "skipped", attempts: 0, durationMs: 0, error };
        left--;
        hooks.settled(child, outcomes[c]!);
        stack.push([child, "skipped"]);
      }
    }
  };

  const inputOf = (node: PlanNode): unknown => {
    if (node.parents.length === 0) return input;
    if (node.parents.length === 1) return outcomes[node.parents[0]!]!.output;
    const merged: Record<string, unknown> = {};
    for (const p of node.parents) merged[nodes[p]!.name] = outcomes[p]!.output;
    return merged;
  };

  const start = (node: PlanNode) => {
    if (scope.abortInfo) return cancelRest();
    started[node.index] = 1;
    const result = hooks.execute(node, inputOf(node));
    if (result instanceof Promise) result.then((o) => settle(node, o));
    else settle(node, result);
  };

  const cancelRest = () => {
    const info = scope.abortInfo!;
    for (const node of nodes) {
      if (outcomes[node.index] !== undefined || started[node.index]) continue;
      settle(node, {
        status: "cancelled",
        attempts: 0,
        durationMs: 0,
        error: `not started: ${info.message}`,
      });
    }
  };

  scope.signal.addEventListener("abort", cancelRest, { once: true });
  if (nodes.length === 0) resolveAll([]);
  for (const node of nodes) if (node.parents.length === 0 && !started[node.index]) start(node);
  return all.finally(() => scope.signal.removeEventListener("abort", cancelRest));
}
