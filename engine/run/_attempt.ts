import type { NodeFunction } from "./context.ts";
import { backoffDelay } from "./_backoff.ts";
import type { Deadline, Deadlines } from "./_deadlines.ts";
import { type ContextEnv, NodeContext } from "./_context.ts";
import { enabled, type LogTarget, makeRecord } from "./_log.ts";
import { type NodeOutcome, type PlanNode, SLOT, type Slots } from "./_protocol.ts";
import { jsonDataProblem } from "./json_data.ts";

/** What running nodes needs from its sandbox (or, unsandboxed, from the test). */
export interface AttemptEnv {
  ctx: ContextEnv;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
  /** Shared slots the host's watchdog reads; null when unsandboxed. */
  slots: Slots | null;
}

type Attempt =
  | { kind: "ok"; value: unknown }
  | { kind: "failed"; error: unknown }
  | { kind: "timed_out" }
  | { kind: "aborted" };

/** Something running for a run that must stop when the run aborts. */
export interface Active {
  abort(reason: DOMException): void;
}

/** One run's abort state and its running attempts. */
export class RunScope {
  readonly target: Omit<LogTarget, "node">;
  readonly #controller = new AbortController();
  readonly #deadlines: Deadlines;
  readonly running = new Set<Active>();
  /** Attempts given up on (timed out, aborted) whose promises have not settled yet. */
  abandoned = 0;
  abortInfo: { status: "cancelled" | "timed_out"; message: string } | null = null;

  /**
   * @param target Where the run's log records go.
   * @param deadlines The sandbox's (or in-process runner's) shared deadline timer.
   */
  constructor(target: Omit<LogTarget, "node">, deadlines: Deadlines) {
    this.target = target;
    this.#deadlines = deadlines;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Tracks `active`; with a deadline, it also expires then. */
  watch(active: Active & Partial<Deadline>): void {
    this.running.add(active);
    if (active.deadline !== undefined) this.#deadlines.add(active as Deadline);
  }

  /** Stops tracking `active`. */
  unwatch(active: Active & Partial<Deadline>): void {
    this.running.delete(active);
    if (active.deadline !== undefined) this.#deadlines.delete(active as Deadline);
  }

  /** Ends every running attempt now and keeps new ones from starting. */
  abort(status: "cancelled" | "timed_out", message: string): void {
    if (this.abortInfo) return;
    this.abortInfo = { status, message };
    const reason = new DOMException(
      message,
      status === "cancelled" ? "AbortError" : "TimeoutError",
    );
    this.#controller.abort(reason);
    for (const active of [...this.running]) active.abort(reason);
  }
}

/**
 * Runs one node: attempts with its timeout, retries with backoff and jitter. Never rejects.
 *
 * @param fn The node function, or the reason its module could not be loaded.
 */
export async function runAttempts(
  fn: NodeFunction | string,
  node: PlanNode,
  input: unknown,
  env: AttemptEnv,
  scope: RunScope,
): Promise<NodeOutcome> {
  const startedAt = env.now();
  const { slots } = env;
  const i = node.index;
  if (typeof fn === "string") return { status: "failed", attempts: 0, durationMs: 0, error: fn };
  if (slots) {
    slots.state[i] = 1;
    slots.startedAt[i] = startedAt;
  }
  for (let attempt = 1;; attempt++) {
    if (slots) {
      slots.attempts[i] = attempt;
      slots.deadline[i] = Date.now() + node.timeoutMs;
    }
    const ctx = new NodeContext(env.ctx, node, scope.target);
    const pending = runOnce(fn, ctx, input, node, scope);
    // A synchronous node settles here without yielding, so its slot says "ok" even when a
    // sibling started next blocks the sandbox before the scheduler hears of it.
    const result = checkOutput(pending instanceof Promise ? await pending : pending);
    if (slots) slots.deadline[i] = 0;
    const base = { attempts: attempt, startedAt, durationMs: env.now() - startedAt };
    if (result.kind === "ok") {
      if (slots) {
        slots.durationMs[i] = base.durationMs;
        slots.state[i] = SLOT.ok;
      }
      return { status: "ok", ...base, output: result.value };
    }
    if (scope.abortInfo) return { ...base, ...scope.abortInfo, error: scope.abortInfo.message };
    if (result.kind === "aborted") return { status: "cancelled", ...base, error: "aborted" };
    const error = result.kind === "timed_out"
      ? `timed out after ${formatMs(node.timeoutMs)}`
      : withSidecarHint(describeError(result.error), env.ctx.plan.sidecars);
    if (attempt > node.retries) return { status: result.kind, ...base, error };
    const delay = backoffDelay(
      attempt,
      env.ctx.plan.retryBaseMs,
      env.ctx.plan.retryMaxMs,
      env.random,
    );
    if (enabled("warn", scope.target.min)) {
      scope.target.emit(
        makeRecord(
          { ...scope.target, node: node.name },
          "warn",
          `attempt ${attempt} of ${node.retries + 1} ${
            result.kind === "timed_out" ? "timed out" : "failed"
          }; retrying in ${delay} ms`,
          { error },
        ),
      );
    }
    try {
      await env.sleep(delay, scope.signal);
    } catch {
      const info = scope.abortInfo ?? { status: "cancelled" as const, message: "aborted" };
      return {
        ...base,
        durationMs: env.now() - startedAt,
        status: info.status,
        error: info.message,
      };
    }
  }
}

function runOnce(
  fn: NodeFunction,
  ctx: NodeContext,
  input: unknown,
  node: PlanNode,
  scope: RunScope,
): Attempt | Promise<Attempt> {
  if (scope.abortInfo) return { kind: "aborted" };
  let value: unknown;
  try {
    value = fn(ctx, input);
  } catch (error) {
    return { kind: "failed", error };
  }
  if (!isThenable(value)) return { kind: "ok", value };
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const active = {
      deadline: Date.now() + node.timeoutMs,
      abort(reason: DOMException) {
        ctx.abort(reason);
        active.finish({ kind: "aborted" });
      },
      expire() {
        const message = `node "${node.name}" timed out after ${formatMs(node.timeoutMs)}`;
        ctx.abort(new DOMException(message, "TimeoutError"));
        active.finish({ kind: "timed_out" });
      },
      finish(result: Attempt) {
        if (settled) return;
        settled = true;
        scope.unwatch(active);
        if (result.kind === "timed_out" || result.kind === "aborted") scope.abandoned++;
        resolve(result);
      },
    };
    scope.watch(active);
    const late = () => {
      if (settled) scope.abandoned--;
    };
    value.then(
      (v) => settled ? late() : active.finish({ kind: "ok", value: v }),
      (error) => settled ? late() : active.finish({ kind: "failed", error }),
    );
  });
}

/** An ok attempt whose output is not JSON data fails (and may be retried) like a throw. */
function checkOutput(result: Attempt): Attempt {
  if (result.kind !== "ok") return result;
  let problem: string | null;
  try {
    problem = jsonDataProblem(result.value, "output");
  } catch (error) {
    problem = `output could not be read: ${describeError(error)}`; // a check must never reject
  }
  if (problem === null) return result;
  return { kind: "failed", error: new Error(`the node's output is not JSON data: ${problem}`) };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" &&
    typeof (value as { then?: unknown }).then === "function";
}

/**
 * A thrown value as one line: `Name: message` (just the message for plain `Error`s), followed
 * by the messages of its `cause` chain that add something (Deno's `fetch failed` keeps the
 * reason, e.g. a refused connection, in its cause).
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    let text = error.name && error.name !== "Error"
      ? `${error.name}: ${error.message}`
      : error.message;
    let cause = error.cause;
    for (let depth = 0; cause instanceof Error && depth < 3; depth++, cause = cause.cause) {
      if (cause.message !== "" && !text.includes(cause.message)) text += `: ${cause.message}`;
    }
    return text;
  }
  try {
    return `threw ${typeof error === "string" ? error : JSON.stringify(error)}`;
  } catch {
    return `threw ${String(error)}`;
  }
}

/**
 * `message` with a hint when it is a refused connection to a declared sidecar: which one, and
 * that it is not running (or not yet listening).
 */
export function withSidecarHint(
  message: string,
  sidecars: Readonly<Record<string, { name: string; url: string }>>,
): string {
  if (!/connection refused/i.test(message)) return message;
  for (const sidecar of Object.values(sidecars)) {
    const port = new URL(sidecar.url).port;
    if (new RegExp(`//(localhost|127\\.0\\.0\\.1|\\[::1\\]):${port}\\b`).test(message)) {
      return `${message} (sidecar "${sidecar.name}" at ${sidecar.url} is not listening: it is ` +
        "not running, or not ready yet; `tntc dev` does not start sidecars)";
    }
  }
  return message;
}

/** `1500` → `"1.5s"`, `200` → `"200ms"`, `60000` → `"1m"`. */
export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1_000) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
