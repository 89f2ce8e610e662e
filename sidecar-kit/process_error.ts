/**
 * `ProcessError`: how a child process failed (exit code, timeout, abort, spawn), with the tails
 * of its output.
 * @module
 */

/** Why a process run failed. */
export type ProcessFailure = "exit" | "timeout" | "aborted" | "spawn";

/** Data carried by a {@linkcode ProcessError}. */
export interface ProcessErrorInit {
  /** Why it failed. */
  reason: ProcessFailure;
  /** The command line. */
  argv: readonly string[];
  /** Exit code, when it exited. */
  code?: number | null;
  /** Terminating signal, when killed by one. */
  signal?: string | null;
  /** Last bytes of stderr. */
  stderrTail?: string;
  /** Last bytes of stdout. */
  stdoutTail?: string;
  /** Wall time in ms. */
  durationMs?: number;
  /** The timeout that fired, for `reason: "timeout"`. */
  timeoutMs?: number;
}

/**
 * A child process did not succeed. The message names the binary and the reason, e.g.
 * `ffmpeg exited with code 1: <last stderr line>`.
 *
 * @example
 * ```ts
 * import { ProcessError } from "@tntc/sidecar-kit";
 * const e = new ProcessError({ reason: "exit", argv: ["false"], code: 1, stderrTail: "" });
 * if (e.message !== "false exited with code 1") throw new Error(e.message);
 * ```
 */
export class ProcessError extends Error {
  /** Why it failed. */
  readonly reason: ProcessFailure;
  /** The command line. */
  readonly argv: readonly string[];
  /** Exit code (null when killed by a signal or never started). */
  readonly code: number | null;
  /** Terminating signal, if any. */
  readonly signal: string | null;
  /** Last bytes of stderr (bounded). */
  readonly stderrTail: string;
  /** Last bytes of stdout (bounded). */
  readonly stdoutTail: string;
  /** Wall time in ms. */
  readonly durationMs: number;

  /**
   * Creates the error; the message is derived from `init`.
   * @param init What happened.
   * @param options Optional `cause`.
   */
  constructor(init: ProcessErrorInit, options?: ErrorOptions) {
    super(describe(init), options);
    this.name = "ProcessError";
    this.reason = init.reason;
    this.argv = init.argv;
    this.code = init.code ?? null;
    this.signal = init.signal ?? null;
    this.stderrTail = init.stderrTail ?? "";
    this.stdoutTail = init.stdoutTail ?? "";
    this.durationMs = init.durationMs ?? 0;
  }
}

function describe(init: ProcessErrorInit): string {
  const bin = init.argv[0] ?? "<empty argv>";
  const last = (init.stderrTail ?? "").trim().split("\n").at(-1)?.trim() ?? "";
  switch (init.reason) {
    case "exit":
      return init.code === null || init.code === undefined
        ? `${bin} was killed by ${init.signal ?? "a signal"}${last ? `: ${last}` : ""}`
        : `${bin} exited with code ${init.code}${last ? `: ${last}` : ""}`;
    case "timeout":
      return `${bin} timed out after ${init.timeoutMs ?? "?"} ms and was killed`;
    case "aborted":
      return `${bin} was cancelled and killed`;
    case "spawn":
      return `${bin} could not be started${last ? `: ${last}` : ""}`;
  }
}
