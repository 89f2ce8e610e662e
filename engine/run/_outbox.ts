import type { LogRecord } from "./options.ts";
import type { NodeOutcome, SandboxMessage, Settled } from "./_protocol.ts";

/** Where a sandbox posts messages. */
export interface Port {
  postMessage(message: unknown): void;
}

/**
 * Batches a sandbox's log records and settled nodes for the host, so a run of quick nodes costs
 * one message in total (its `done`), while slow runs still report progress (which the host
 * keeps if the sandbox has to be terminated) when the sandbox's flush timer comes round.
 */
export class Outbox {
  readonly #port: Port;
  readonly #runId: string;
  readonly #requestFlush: () => void;
  #logs: LogRecord[] = [];
  #settled: Settled[] = [];
  #pending = false;
  #closed = false;

  /**
   * @param port Where messages go.
   * @param runId The run they belong to.
   * @param requestFlush Asks for {@linkcode Outbox.flush} soon (one shared timer per sandbox,
   *   not one per run).
   */
  constructor(port: Port, runId: string, requestFlush: () => void) {
    this.#port = port;
    this.#runId = runId;
    this.#requestFlush = requestFlush;
  }

  /** Queues a log record (sent at once when the run is already over). */
  log = (record: LogRecord): void => {
    if (this.#closed) return send(this.#port, { t: "log", logs: [record] });
    this.#logs.push(record);
    this.#schedule();
  };

  /** Queues a settled node. */
  settle(index: number, outcome: NodeOutcome): void {
    this.#settled.push([index, outcome]);
    this.#schedule();
  }

  /** Sends the end of a whole run (which took `ms`) with everything still queued. */
  done(dirty: boolean, ms: number): void {
    this.#close();
    send(this.#port, {
      t: "done",
      runId: this.#runId,
      logs: this.#logs,
      settled: this.#settled,
      dirty,
      ms,
    });
  }

  /** Sends the end of a single-node call with the queued logs. */
  nodeDone(callId: number, outcome: NodeOutcome, dirty: boolean): void {
    this.#close();
    send(this.#port, { t: "nodeDone", callId, logs: this.#logs, outcome, dirty });
  }

  #close(): void {
    this.#closed = true;
  }

  #schedule(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#requestFlush();
  }

  /** Sends what is queued as a progress message (nothing once the run ended). */
  flush(): void {
    this.#pending = false;
    if (this.#closed || (this.#logs.length === 0 && this.#settled.length === 0)) return;
    const msg = {
      t: "progress" as const,
      runId: this.#runId,
      logs: this.#logs,
      settled: this.#settled,
    };
    this.#logs = [];
    this.#settled = [];
    send(this.#port, msg);
  }
}

/**
 * Posts `msg`; values that cannot be cloned (a log field holding a function, data nested deep
 * enough to overflow the serializer's stack) become clear errors instead of a lost message.
 */
export function send(port: Port, msg: SandboxMessage): void {
  try {
    port.postMessage(msg);
  } catch {
    port.postMessage(sanitize(msg));
  }
}

function sanitize(msg: SandboxMessage): SandboxMessage {
  const logs = "logs" in msg ? msg.logs.map(cleanRecord) : [];
  switch (msg.t) {
    case "progress":
    case "done":
      return { ...msg, logs, settled: msg.settled.map(([i, o]) => [i, cleanOutcome(o)]) };
    case "nodeDone":
      return { ...msg, logs, outcome: cleanOutcome(msg.outcome) };
    case "log":
      return { ...msg, logs };
    default:
      return msg;
  }
}

function cleanRecord(record: LogRecord): LogRecord {
  const problem = cloneProblem(record);
  return problem === null ? record : { ...record, fields: { unserialisable: problem } };
}

function cleanOutcome(outcome: NodeOutcome): NodeOutcome {
  const problem = cloneProblem(outcome.output);
  if (problem === null) return outcome;
  const { output: _, ...rest } = outcome;
  return { ...rest, status: "failed", error: `the node's output cannot be serialised: ${problem}` };
}

function cloneProblem(value: unknown): string | null {
  try {
    structuredClone(value);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
