// The sandbox: a Worker with narrowed Deno permissions. It imports the node modules once, then
// runs whole runs (scheduler inside, one result message per run) or single nodes for runs
// whose home sandbox has other permissions.
import type { NodeFunction } from "./context.ts";
import type { LogRecord } from "./options.ts";
import { type AttemptEnv, describeError, runAttempts, RunScope } from "./_attempt.ts";
import { sleep } from "./_backoff.ts";
import { Deadlines } from "./_deadlines.ts";
import { callRemote, type RemoteCalls } from "./_worker_calls.ts";
import { loadNode } from "./_load_node.ts";
import { Outbox } from "./_outbox.ts";
import type { HostMessage, NodeOutcome, PlanNode, RunPlan, SandboxMessage } from "./_protocol.ts";
import { PIPELINE_HOLD_MS, SLOT, slotViews } from "./_protocol.ts";
import { schedule } from "./_schedule.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<HostMessage>) => void) | null;
  addEventListener(type: string, listener: (event: Event) => void): void;
}

const self = globalThis as unknown as WorkerScope;
const realFetch = globalThis.fetch;
let plan: RunPlan;
let profile: number;
let env: AttemptEnv;
let modules: (NodeFunction | string)[] = [];
/** The run or node call going on; `startedAt` from `performance.now()`. */
let current: { runId: string; scope: RunScope; outbox: Outbox; startedAt: number } | null = null;
const calls: RemoteCalls = { next: 1, pending: new Map() };
/** Node and run deadlines of this sandbox, on one timer. */
const deadlines = new Deadlines();
/** How long progress (logs, settled nodes) of a run still going may wait to be sent. */
const FLUSH_MS = 10;
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/** One flush timer per sandbox, armed when a run has something to report. */
function requestFlush(): void {
  flushTimer ??= setTimeout(() => {
    flushTimer = undefined;
    current?.outbox.flush();
  }, FLUSH_MS);
}

type RunMessage = Extract<HostMessage, { t: "run" }>;

/** Runs posted while another was going (the host pipelines short runs); run in order. */
const inbox: RunMessage[] = [];
/** Set after a run left node code running: the host discards this sandbox, so start nothing. */
let retired = false;

let bounceTimer: ReturnType<typeof setTimeout> | undefined;

self.onmessage = (event) => {
  const msg = event.data;
  switch (msg.t) {
    case "init":
      return void init(msg);
    case "run":
      if (retired) return; // the host hands queued runs to other sandboxes itself
      inbox.push(msg);
      return current === null ? startNext() : armBounce();
    case "node":
      return void runSingle(msg.callId, msg.runId, msg.node, msg.input, msg.logFields);
    case "cancel":
      if (current?.runId === msg.runId) return current.scope.abort(msg.status, msg.message);
      return bounce(inbox.findIndex((r) => r.runId === msg.runId));
    case "reply":
      return calls.pending.get(msg.callId)?.(msg.outcome);
  }
};

/** Starts the next queued run, if any. */
function startNext(): void {
  const next = inbox.shift();
  if (next === undefined) return;
  Atomics.store(env.slots!.current, 0, next.seq);
  if (inbox.length > 0) armBounce();
  void runWhole(next);
}

function armBounce(): void {
  bounceTimer ??= setTimeout(checkBounce, PIPELINE_HOLD_MS);
}

function checkBounce(): void {
  bounceTimer = undefined;
  if (current === null || inbox.length === 0) return;
  const held = performance.now() - current.startedAt;
  if (held >= PIPELINE_HOLD_MS) bounce(0);
  else bounceTimer = setTimeout(checkBounce, PIPELINE_HOLD_MS - held);
}

/** Hands queued runs from `from` on (none when -1) back to the host, unstarted. */
function bounce(from: number): void {
  if (from < 0) return;
  const runIds = inbox.splice(from).map((r) => r.runId);
  self.postMessage({ t: "bounced", runIds } satisfies SandboxMessage);
}

for (const type of ["error", "unhandledrejection"]) {
  self.addEventListener(type, (event) => {
    event.preventDefault();
    const error = (event as ErrorEvent).error ?? (event as PromiseRejectionEvent).reason;
    const record: LogRecord = {
      time: new Date().toISOString(),
      level: "error",
      msg: `uncaught error in node code: ${describeError(error)}`,
    };
    if (current) {
      record.runId = current.runId;
      current.outbox.log(record);
    } else self.postMessage({ t: "log", logs: [record] });
  });
}

async function init(msg: Extract<HostMessage, { t: "init" }>): Promise<void> {
  plan = msg.plan;
  profile = msg.profile;
  env = {
    ctx: {
      plan,
      secrets: deepFreeze(msg.secrets),
      config: deepFreeze(plan.config),
      fetch: realFetch,
      sleep,
      ready: new Set(),
    },
    now: Date.now,
    sleep,
    random: Math.random,
    slots: slotViews(msg.sab, plan.nodes.length),
  };
  const loadErrors: Record<string, string> = {};
  const slots = env.slots!;
  modules = await Promise.all(plan.nodes.map(async (node) => {
    if (node.profile !== profile) return `node "${node.name}" runs in another sandbox`;
    const loaded = await loadNode(node);
    if (typeof loaded === "string") loadErrors[node.name] = loaded;
    // The host reads which modules finished loading if the sandbox never reports ready.
    slots.state[node.index] = SLOT.ok;
    return loaded;
  }));
  self.postMessage({ t: "ready", loadErrors });
}

function resetSlots(): void {
  const s = env.slots!;
  s.state.fill(0);
  s.deadline.fill(0);
  s.startedAt.fill(0);
  s.durationMs.fill(0);
  s.attempts.fill(0);
}

async function runWhole(msg: RunMessage): Promise<void> {
  const { runId } = msg;
  const outbox = new Outbox(self, runId, requestFlush);
  const scope = new RunScope(
    { emit: outbox.log, min: plan.logLevel, runId, extra: msg.logFields },
    deadlines,
  );
  const startedAt = performance.now();
  current = { runId, scope, outbox, startedAt };
  resetSlots();
  const deadline = msg.deadline === null ? undefined : {
    deadline: msg.deadline,
    expire: () => scope.abort("timed_out", `run timed out after ${plan.runTimeoutText}`),
  };
  if (deadline) deadlines.add(deadline);
  const slots = env.slots!;
  await schedule(plan, msg.input, scope, {
    execute: (node, nodeInput) =>
      node.profile === profile
        ? runAttempts(modules[node.index]!, node, nodeInput, env, scope)
        : callRemote(self, calls, { node, input: nodeInput, scope, slots, runId }),
    settled: (node: PlanNode, outcome: NodeOutcome) => {
      slots.durationMs[node.index] = outcome.durationMs;
      slots.state[node.index] = SLOT[outcome.status];
      outbox.settle(node.index, outcome);
    },
  });
  if (deadline) deadlines.delete(deadline);
  current = null;
  const dirty = scope.abandoned > 0;
  outbox.done(dirty, performance.now() - startedAt);
  // Node code still running (an abandoned attempt) could disturb the next run: the host
  // discards this sandbox and gives the queued runs to others.
  if (dirty) retired = true;
  else startNext();
}

async function runSingle(
  callId: number,
  runId: string,
  index: number,
  input: unknown,
  extra?: Record<string, unknown>,
) {
  const outbox = new Outbox(self, runId, requestFlush);
  const scope = new RunScope({ emit: outbox.log, min: plan.logLevel, runId, extra }, deadlines);
  current = { runId, scope, outbox, startedAt: performance.now() };
  resetSlots();
  const node = plan.nodes[index]!;
  const outcome = await runAttempts(modules[index]!, node, input, env, scope);
  env.slots!.durationMs[index] = outcome.durationMs;
  env.slots!.state[index] = SLOT[outcome.status];
  current = null;
  outbox.nodeDone(callId, outcome, scope.abandoned > 0);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
