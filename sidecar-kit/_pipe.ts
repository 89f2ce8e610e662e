/**
 * The body of `pipeProcess`, plus what the job context needs on top: a promise that settles
 * when the process group is gone, whether or not anyone reads the stream.
 * @module
 */
import { reapGroup, spawnGroup, terminateGroup } from "./_process_group.ts";
import { feedStdin } from "./_stdin.ts";
import { drainToTail, TailBuffer } from "./_tail_buffer.ts";
import { ProcessError } from "./process_error.ts";
import type { PipeProcessOptions } from "./pipe_process.ts";

/** A started pipe. */
export interface StartedPipe {
  /** The process's stdout; errors with a `ProcessError` on failure, timeout or abort. */
  stream: ReadableStream<Uint8Array>;
  /** Settles when the process exited and its group is gone (never rejects). */
  gone: Promise<void>;
}

/** Spawns `argv` at once (see `pipeProcess`). */
export function startPipe(argv: readonly string[], options: PipeProcessOptions): StartedPipe {
  let child: Deno.ChildProcess;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  let errDrain: Promise<void>;
  let gone: Promise<void> = Promise.resolve();
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
  const stream = new ReadableStream<Uint8Array>({
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
      // Reaped as soon as the leader exits, independent of whether the stream is read.
      gone = child.status.then(() => reapGroup(child)).then(() => {}, () => {});
      reader = child.stdout.getReader();
      errDrain = drainToTail(child.stderr, err, options.onStderrLine);
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
      await gone;
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
      await gone;
    },
  }, { highWaterMark: 1 });
  return { stream, gone };
}
