/**
 * Spawning a child in its own process group and killing the whole group (no orphans).
 * @module
 */
import { ProcessError } from "./process_error.ts";

/** How to spawn. */
export interface SpawnGroupOptions {
  /** Working directory. */
  cwd?: string | undefined;
  /** Extra environment variables. */
  env?: Record<string, string> | undefined;
  /** Start from an empty environment (plus `env`). */
  clearEnv?: boolean | undefined;
  /** Whether stdin is piped. */
  stdin: "piped" | "null";
}

/**
 * Spawns `argv` detached (pgid = pid) with stdout/stderr piped.
 * @throws {ProcessError} `reason: "spawn"` when the binary is missing or not executable.
 */
export function spawnGroup(argv: readonly string[], options: SpawnGroupOptions): Deno.ChildProcess {
  const [bin, ...args] = argv;
  if (bin === undefined || bin === "") {
    throw new ProcessError({ reason: "spawn", argv, stderrTail: "argv must not be empty" });
  }
  try {
    return new Deno.Command(bin, {
      args,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.clearEnv ? { clearEnv: true } : {}),
      stdin: options.stdin,
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (cause) {
    const why = cause instanceof Deno.errors.NotFound
      ? "not found"
      : cause instanceof Error
      ? cause.message
      : String(cause);
    throw new ProcessError({ reason: "spawn", argv, stderrTail: why }, { cause });
  }
}

/** Sends `signal` to the process group `pid`; false when the group no longer exists. */
export function killGroup(pid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone already
  }
}

/**
 * SIGTERM to the group, up to `graceMs` for the leader to exit, then SIGKILL to the group
 * (which also removes grandchildren that ignored SIGTERM). Resolves when the leader exited.
 */
export async function terminateGroup(child: Deno.ChildProcess, graceMs: number): Promise<void> {
  killGroup(child.pid, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const exited = await Promise.race([
    child.status.then(() => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), graceMs)),
  ]);
  clearTimeout(timer);
  killGroup(child.pid, "SIGKILL");
  if (!exited) await child.status;
}

/** Writes stdin in the background; a child that exits early (EPIPE) is not an error here. */
export function feedStdin(
  child: Deno.ChildProcess,
  data: ReadableStream<Uint8Array> | Uint8Array | string,
): void {
  const stream = typeof data === "string" || data instanceof Uint8Array
    ? new Blob([typeof data === "string" ? data : new Uint8Array(data)]).stream()
    : data;
  stream.pipeTo(child.stdin).catch(() => {});
}
