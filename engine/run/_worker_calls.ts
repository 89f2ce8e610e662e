import type { RunScope } from "./_attempt.ts";
import type { Port } from "./_outbox.ts";
import type { NodeOutcome, PlanNode, Slots } from "./_protocol.ts";

/** Calls this sandbox has made to nodes that run in other sandboxes. */
export interface RemoteCalls {
  next: number;
  pending: Map<number, (outcome: NodeOutcome) => void>;
}

/** One node to run elsewhere. */
export interface RemoteCall {
  node: PlanNode;
  input: unknown;
  scope: RunScope;
  slots: Slots;
  runId: string;
}

/**
 * Asks the host to run a node whose permissions differ from this sandbox's in a sandbox of
 * its own profile; resolves with its outcome, or at once when the run aborts.
 */
export function callRemote(port: Port, calls: RemoteCalls, call: RemoteCall): Promise<NodeOutcome> {
  const { node, scope, slots } = call;
  const callId = calls.next++;
  const startedAt = Date.now();
  slots.state[node.index] = 1;
  slots.startedAt[node.index] = startedAt;
  return new Promise((resolve) => {
    const finish = (outcome: NodeOutcome) => {
      if (!calls.pending.delete(callId)) return;
      scope.unwatch(active);
      resolve(outcome);
    };
    const active = {
      abort() {
        const info = scope.abortInfo ?? { status: "cancelled" as const, message: "aborted" };
        port.postMessage({ t: "abortCall", callId, ...info });
        const durationMs = Date.now() - startedAt;
        finish({ status: info.status, attempts: 1, startedAt, durationMs, error: info.message });
      },
    };
    calls.pending.set(callId, finish);
    scope.running.add(active);
    try {
      port.postMessage({
        t: "call",
        runId: call.runId,
        callId,
        node: node.index,
        input: call.input,
      });
    } catch (error) {
      finish({
        status: "failed",
        attempts: 0,
        durationMs: 0,
        error: `the input of node "${node.name}" cannot be sent to its sandbox: ${
          (error as Error).message
        }`,
      });
    }
  });
}
