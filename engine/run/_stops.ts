import type { LogRecord } from "./options.ts";
import { formatMs } from "./_attempt.ts";
import { isoTime } from "./_log.ts";
import type { RunPlan } from "./_protocol.ts";
import type { Stop } from "./_result.ts";
import type { Sandbox } from "./_sandbox.ts";

/** Deno's message for `AbortController.abort()` called without a reason. */
const DEFAULT_ABORT_MESSAGE = "The signal has been aborted";

/**
 * The error of nodes a cancelled run stops: "run cancelled", with the abort reason's message
 * when the canceller gave one (a drain's expired grace period), or that message alone when it
 * already says so (`cancelled by request …`).
 *
 * @param signal The run's aborted signal.
 * @returns The message.
 */
export function cancelMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const why = typeof reason === "string"
    ? reason
    : reason instanceof Error && reason.message !== DEFAULT_ABORT_MESSAGE
    ? reason.message
    : "";
  if (why === "") return "run cancelled";
  return /^(run )?cancelled\b/.test(why) ? why : `run cancelled: ${why}`;
}

/** How nodes end when their sandbox stops for `message`: running ones with `status`. */
export function plainStop(status: "cancelled" | "timed_out" | "failed", message: string): Stop {
  return { running: { status, error: message }, pending: `not started: ${message}` };
}

/** How nodes end when node `index` held its sandbox past its timeout. */
export function blockedStop(plan: RunPlan, index: number): Stop {
  const node = plan.nodes[index]!;
  const why = `node "${node.name}" blocked its sandbox past its timeout`;
  return {
    culprit: {
      index,
      error: `timed out after ${formatMs(node.timeoutMs)}; it kept its sandbox busy ` +
        `(e.g. a CPU-bound loop), so the sandbox was terminated`,
    },
    running: { status: "cancelled", error: `stopped: ${why}, so the sandbox was terminated` },
    pending: `not started: ${why}`,
  };
}

/**
 * The log record for a sandbox terminated while node code held its thread: Deno 2.9's
 * `Worker.terminate()` does not interrupt running JavaScript, so the thread may spin on.
 */
export function stuckRecord(plan: RunPlan, sandbox: Sandbox, stop: Stop, count: number): LogRecord {
  const culprit = stop.culprit?.index;
  const nodes = culprit !== undefined
    ? [plan.nodes[culprit]!.name]
    : plan.nodes.filter((n) => sandbox.slots.state[n.index] === 1).map((n) => n.name);
  const record: LogRecord = {
    time: isoTime(Date.now()),
    level: "error",
    msg: `terminated a sandbox blocked in node code (${nodes.join(", ") || "unknown node"}); ` +
      "Deno cannot interrupt a Worker in a CPU-bound loop, so its thread may keep a CPU " +
      "busy until the engine restarts",
    fields: { stuckSandboxes: count, nodes },
  };
  if (sandbox.job) record.runId = sandbox.job.run.runId;
  return record;
}

/** The debug record for a queued run a busy sandbox handed back (it runs elsewhere). */
export function bouncedRecord(runId: string): LogRecord {
  return {
    time: isoTime(Date.now()),
    level: "debug",
    msg: "run handed back unstarted by a busy sandbox; it goes to the next free one",
    runId,
  };
}
