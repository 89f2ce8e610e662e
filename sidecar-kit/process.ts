/**
 * `runProcess`: run a binary (argv only, never a shell) with a timeout, cancellation that kills
 * its whole process group, bounded output capture and a line callback for progress parsing.
 * @module
 */
import { reapGroup, spawnGroup, terminateGroup } from "./_process_group.ts";
import { feedStdin } from "./_stdin.ts";
import { drainToTail as drain, TailBuffer } from "./_tail_buffer.ts";
import { ProcessError } from "./process_error.ts";

/** How a process starts and stops: what {@linkcode runProcess} and `pipeProcess` share. */
export interface ProcessStartOptions {
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables (merged over the parent's unless `clearEnv`). */
  env?: Record<string, string>;
  /** Start from an empty environment. */
  clearEnv?: boolean;
  /** Data for stdin (stdin is closed/null otherwise). */
  stdin?: ReadableStream<Uint8Array> | Uint8Array | string;
  /**
   * Aborting kills the process group; the call fails with a `ProcessError` whose `reason` is
   * `"aborted"`.
   */
  signal?: AbortSignal;
  /**
   * Kill the group after this many ms; the call fails with a `ProcessError` whose `reason` is
   * `"timeout"`.
   */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when killing (default 1000 ms). */
  killGraceMs?: number;
}

/** Options of {@linkcode runProcess}. */
export interface RunProcessOptions extends ProcessStartOptions {
  /** Bytes of stdout and of stderr kept, newest first (default 1 MiB each). */
  maxOutputBytes?: number;
  /** Called for each stdout line (e.g. ffmpeg `-progress pipe:1`). */
  onStdoutLine?: (line: string) => void;
  /** Called for each stderr line. */
  onStderrLine?: (line: string) => void;
  /** Reject on a non-zero exit (default true). */
  check?: boolean;
}

/** A finished process. */
export interface ProcessResult {
  /** The command line. */
  argv: readonly string[];
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Terminating signal, if any. */
  signal: string | null;
  /** Captured stdout (the tail when truncated). */
  stdout: string;
  /** Captured stderr (the tail when truncated). */
  stderr: string;
  /** True when stdout exceeded `maxOutputBytes`. */
  stdoutTruncated: boolean;
  /** True when stderr exceeded `maxOutputBytes`. */
  stderrTruncated: boolean;
  /** Wall time in ms. */
  durationMs: number;
}

/**
 * Runs a binary to completion. Its process group is killed (SIGTERM, then SIGKILL) on timeout or
 * abort, and swept with SIGKILL after a normal exit so no grandchild survives. The promise
 * settles only once the whole group is gone (bounded by a few seconds), so when it rejects
 * with `"timeout"` or `"aborted"` no process of the group is left running. (Group kill needs an
 * unscoped `--allow-run`; with a list of programs only the process itself is killed.)
 *
 * @param argv Binary and arguments, e.g. `["ffmpeg", "-i", path, ...]` (no shell is involved).
 * @param options Timeout, signal, stdin, env, output bounds, line callbacks.
 * @returns The result; with `check: false` also for non-zero exits.
 * @throws {ProcessError} `reason` `"exit"` (non-zero exit), `"timeout"`, `"aborted"` or `"spawn"`.
 * @example
 * ```ts
 * import { runProcess } from "@tntc/sidecar-kit";
 * const r = await runProcess(["echo", "hello"], { timeoutMs: 5000 });
 * if (r.stdout !== "hello\n" || r.code !== 0) throw new Error(r.stdout);
 * ```
 */
export async function runProcess(
  argv: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  const started = performance.now();
  const signal = options.signal;
  if (signal?.aborted) {
    throw new ProcessError({ reason: "aborted", argv }, { cause: signal.reason });
  }
  const max = options.maxOutputBytes ?? 1024 * 1024;
  const child = spawnGroup(argv, {
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.clearEnv,
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  const out = new TailBuffer(max);
  const err = new TailBuffer(max);
  const readers = [
    drain(child.stdout, out, options.onStdoutLine),
    drain(child.stderr, err, options.onStderrLine),
  ];
  if (options.stdin !== undefined) feedStdin(child, options.stdin);

  let killedFor: "timeout" | "aborted" | undefined;
  const grace = options.killGraceMs ?? 1000;
  const kill = (why: "timeout" | "aborted") => {
    if (killedFor) return;
    killedFor = why;
    terminateGroup(child, grace).catch(() => {});
  };
  const onAbort = () => kill("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  const timer = options.timeoutMs === undefined
    ? undefined
    : setTimeout(() => kill("timeout"), options.timeoutMs);
  let status: Deno.CommandStatus;
  try {
    status = await child.status;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  // Sweep grandchildren left behind (they may hold our pipes): settle only once the group is gone.
  await reapGroup(child);
  await Promise.all(readers);
  const base = {
    argv,
    code: status.signal === null ? status.code : null,
    signal: status.signal,
    stderrTail: err.text(),
    stdoutTail: out.text(),
    durationMs: performance.now() - started,
  };
  if (killedFor === "timeout") {
    throw new ProcessError({ ...base, reason: "timeout", timeoutMs: options.timeoutMs ?? 0 });
  }
  if (killedFor === "aborted") {
    throw new ProcessError({ ...base, reason: "aborted" }, { cause: signal?.reason });
  }
  if (options.check !== false && !status.success) {
    throw new ProcessError({ ...base, reason: "exit" });
  }
  return {
    argv,
    code: base.code,
    signal: base.signal,
    stdout: base.stdoutTail,
    stderr: base.stderrTail,
    stdoutTruncated: out.truncated,
    stderrTruncated: err.truncated,
    durationMs: base.durationMs,
  };
}
