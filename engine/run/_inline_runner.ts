import type { Secrets } from "./context.ts";
import type { RunnerOptions } from "./options.ts";
import { type AttemptEnv, runAttempts, RunScope } from "./_attempt.ts";
import { sleep } from "./_backoff.ts";
import { Deadlines } from "./_deadlines.ts";
import { loadNode } from "./_load_node.ts";
import { longestRunMs } from "./_longest_run.ts";
import { stdoutSink } from "./_log.ts";
import type { RunPlan } from "./_protocol.ts";
import { buildResult } from "./_result.ts";
import { schedule } from "./_schedule.ts";
import { cancelMessage } from "./_stops.ts";
import { NodeLoadError } from "./node_load_error.ts";
import type { RunOptions, RunResult, WorkflowRunner } from "./types.ts";

/**
 * Runs a plan inside this process with the same scheduler, attempts and `ctx` as the
 * sandboxes, but with injectable clock, fetch and randomness. No isolation: unit tests only.
 */
export async function createInlineRunner(
  plan: RunPlan,
  secrets: Secrets,
  options: RunnerOptions,
): Promise<WorkflowRunner> {
  const clock = options.clock ?? { now: Date.now, sleep };
  const sink = options.log ?? stdoutSink;
  const env: AttemptEnv = {
    ctx: {
      plan,
      secrets,
      config: plan.config,
      fetch: options.fetch ?? globalThis.fetch,
      sleep: clock.sleep,
      ready: new Set(),
    },
    now: clock.now,
    sleep: clock.sleep,
    random: options.random ?? Math.random,
    slots: null,
  };
  const modules = await Promise.all(plan.nodes.map(loadNode));
  const errors = Object.fromEntries(
    modules.flatMap((m, i) => typeof m === "string" ? [[plan.nodes[i]!.name, m]] : []),
  );
  if (Object.keys(errors).length > 0) throw new NodeLoadError(errors);
  const active = new Set<RunScope>();
  const deadlines = new Deadlines(true);
  let closed = false;

  async function run(input: unknown, opts: RunOptions = {}): Promise<RunResult> {
    if (closed) throw new Error("the runner is closed");
    const runId = opts.runId ?? crypto.randomUUID();
    const startedAt = clock.now();
    const emit = (record: Parameters<typeof sink>[0]) => {
      try {
        sink(record);
      } catch {
        // a failing sink must not fail the run
      }
    };
    const scope = new RunScope(
      { emit, min: plan.logLevel, runId, extra: opts.logFields },
      deadlines,
    );
    const onAbort = () => scope.abort("cancelled", cancelMessage(opts.signal!));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const deadline = plan.runTimeoutMs === null ? undefined : {
      deadline: Date.now() + plan.runTimeoutMs,
      expire: () => scope.abort("timed_out", `run timed out after ${plan.runTimeoutText}`),
    };
    if (deadline) deadlines.add(deadline);
    active.add(scope);
    try {
      const outcomes = await schedule(plan, input, scope, {
        execute: (node, nodeInput) =>
          runAttempts(modules[node.index]!, node, nodeInput, env, scope),
        settled: () => {},
      });
      return buildResult(plan, runId, outcomes, startedAt, clock.now());
    } finally {
      if (deadline) deadlines.delete(deadline);
      opts.signal?.removeEventListener("abort", onAbort);
      active.delete(scope);
    }
  }

  return {
    run,
    longestRunMs: longestRunMs(plan),
    stats: () => ({ sandboxes: 0, busy: 0, queued: 0, stuckSandboxes: 0 }),
    close(): Promise<void> {
      closed = true;
      for (const scope of active) scope.abort("cancelled", "the runner was closed");
      deadlines.close();
      return Promise.resolve();
    },
  };
}
