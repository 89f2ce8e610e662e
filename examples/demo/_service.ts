/**
 * Child processes of the demo: each one runs in its own process group with its output in a log
 * file, and `stop()` ends the whole group (SIGTERM, then SIGKILL after a grace period), so no
 * grandchild (ffmpeg, a sandboxed engine) survives the demo.
 * @module
 */

/** A started child process. */
export interface Service {
  /** Short name used in messages, e.g. `ffmpeg sidecar`. */
  readonly name: string;
  /** Process id (= its process group id). */
  readonly pid: number;
  /** Where its stdout and stderr go. */
  readonly logFile: string;
  /** Settles with the exit status. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Ends the process group: SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@linkcode startService}. */
export interface ServiceOptions {
  /** Short name. */
  name: string;
  /** Executable and arguments. */
  argv: string[];
  /** Working directory. */
  cwd?: string;
  /** Extra environment. */
  env?: Record<string, string>;
  /** File receiving stdout and stderr. */
  logFile: string;
}

/**
 * Starts a process in its own process group, its output written to `logFile` (truncated first).
 *
 * @param options Name, argv, cwd, env and log file.
 * @returns The running service.
 * @throws {Deno.errors.NotFound} When the executable does not exist.
 * @example
 * ```ts ignore
 * const s = await startService({ name: "sleep", argv: ["sleep", "9"], logFile: "/tmp/s.log" });
 * await s.stop();
 * ```
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const [bin, ...args] = options.argv as [string, ...string[]];
  const log = await Deno.open(options.logFile, { create: true, write: true, truncate: true });
  const child = new Deno.Command(bin, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) await log.write(chunk);
  };
  const drained = Promise.all([copy(child.stdout), copy(child.stderr)])
    .catch(() => {})
    .finally(() => log.close());
  const status = child.status.then(async (s) => {
    await drained;
    return s;
  });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000) =>
    stopping ??= (async () => {
      signalGroup(child.pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), graceMs);
      await status;
      clearTimeout(timer);
      signalGroup(child.pid, "SIGKILL"); // grandchildren that ignored SIGTERM
    })();
  return { name: options.name, pid: child.pid, logFile: options.logFile, status, stop };
}

function signalGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * The last lines of a log file, for error messages.
 *
 * @param path The log file.
 * @param lines How many lines (default 15).
 * @returns The tail, or an empty string when the file cannot be read.
 * @example
 * ```ts ignore
 * console.error(await tailFile("/tmp/engine.log"));
 * ```
 */
export async function tailFile(path: string, lines = 15): Promise<string> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
