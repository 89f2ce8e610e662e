/**
 * `pipeProcess`: stream data through a binary (stdin → stdout) with backpressure, for body-mode
 * jobs. Memory stays bounded whatever the size of the stream.
 * @module
 */
import { LineSplitter } from "./_line_splitter.ts";
import { feedStdin, killGroup, spawnGroup, terminateGroup } from "./_process_group.ts";
import { TailBuffer } from "./_tail_buffer.ts";
import { ProcessError } from "./process_error.ts";

/** Options of {@linkcode pipeProcess}. */
export interface PipeProcessOptions {
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Start from an empty environment. */
  clearEnv?: boolean;
  /** Data written to stdin (stdin is null otherwise). */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /** Aborting kills the process group and errors the stream. */
  signal?: AbortSignal;
  /** Kill the group after this many ms and error the stream. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL (default 1000 ms). */
  killGraceMs?: number;
  /** Bytes of stderr kept for error messages (default 64 KiB). */
  maxStderrBytes?: number;
  /** Called for each stderr line. */
  onStderrLine?: (line: string) => void;
}

/**
 * Starts `argv` and returns its stdout as a stream. The stream errors with a
 * {@linkcode ProcessError} when the process exits non-zero, times out or is aborted; cancelling
 * the stream kills the process group.
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
  let child: Deno.ChildProcess;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  let errDrain: Promise<void>;
  let killedFor: "timeout" | "aborted" | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = performance.now();
  const err = new TailBuffer(options.maxStderrBytes ?? 64 * 1024);
  const kill = (why: "timeout" | "aborted") => {
    if (killedFor) return;
    killedFor = why;
    terminateGroup(child, options.killGraceMs ?? 1000).catch(() => {});
  };
  const onAbort = () => kill("aborted");
  const cleanup = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  };
  return new ReadableStream<Uint8Array>({
    start() {
      if (options.signal?.aborted) {
        throw new ProcessError({ reason: "aborted", argv }, { cause: options.signal.reason });
      }
      child = spawnGroup(argv, {
        cwd: options.cwd,
        env: options.env,
        clearEnv: options.clearEnv,
        stdin: options.stdin === undefined ? "null" : "piped",
      });
      reader = child.stdout.getReader();
      errDrain = drainStderr(child.stderr, err, options.onStderrLine);
      if (options.stdin !== undefined) feedStdin(child, options.stdin);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => kill("timeout"), options.timeoutMs);
      }
    },
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        chunk = { done: true, value: undefined };
      }
      if (!chunk.done) return controller.enqueue(chunk.value);
      const status = await child.status;
      cleanup();
      killGroup(child.pid, "SIGKILL");
      await errDrain;
      const base = {
        argv,
        code: status.signal === null ? status.code : null,
        signal: status.signal,
        stderrTail: err.text(),
        durationMs: performance.now() - started,
      };
      if (killedFor) {
        controller.error(
          new ProcessError({ ...base, reason: killedFor, timeoutMs: options.timeoutMs ?? 0 }),
        );
      } else if (!status.success) {
        controller.error(new ProcessError({ ...base, reason: "exit" }));
      } else {
        controller.close();
      }
    },
    async cancel() {
      kill("aborted");
      cleanup();
      await child.status;
    },
  }, { highWaterMark: 1 });
}

async function drainStderr(
  stream: ReadableStream<Uint8Array>,
  into: TailBuffer,
  onLine?: (line: string) => void,
): Promise<void> {
  const lines = onLine ? new LineSplitter(onLine) : undefined;
  try {
    for await (const chunk of stream) {
      into.push(chunk);
      lines?.push(chunk);
    }
  } catch {
    // killed: keep what we have
  }
  lines?.end();
}
