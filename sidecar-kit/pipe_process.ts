/**
 * `pipeProcess`: stream data through a binary (stdin → stdout) with backpressure, for body-mode
 * jobs. Memory stays bounded whatever the size of the stream.
 * @module
 */
import { startPipe } from "./_pipe.ts";
import type { ProcessStartOptions } from "./process.ts";

/** Options of {@linkcode pipeProcess}; failures error the returned stream. */
export interface PipeProcessOptions extends ProcessStartOptions {
  /** Bytes of stderr kept for error messages (default 64 KiB). */
  maxStderrBytes?: number;
  /** Called for each stderr line. */
  onStderrLine?: (line: string) => void;
}

/**
 * Starts `argv` and returns its stdout as a stream. The stream errors with a
 * {@linkcode ProcessError} when the process exits non-zero, times out or is aborted; cancelling
 * the stream kills the process group (the cancel settles once the group is gone).
 *
 * @param argv Binary and arguments (no shell).
 * @param options stdin, signal, timeout, env, stderr bound.
 * @returns The process's stdout.
 * @example
 * ```ts
 * import { pipeProcess } from "@tntc/sidecar-kit";
 * const out = pipeProcess(["tr", "a-z", "A-Z"], { stdin: "shout" });
 * const text = await new Response(out).text();
 * if (text !== "SHOUT") throw new Error(text);
 * ```
 */
export function pipeProcess(
  argv: readonly string[],
  options: PipeProcessOptions = {},
): ReadableStream<Uint8Array> {
  return startPipe(argv, options).stream;
}
