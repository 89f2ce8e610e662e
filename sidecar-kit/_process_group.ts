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

/**
 * Whether `Deno.kill` may be used: it needs `--allow-run` for every program, so with a list
 * (`--allow-run=/usr/bin/ffmpeg`) only each child itself can be signalled (`child.kill`), not
 * its process group. Queried once; the answer cannot change while the process runs, except by
 * a revoke, which is handled by falling back on `NotCapable`.
 */
export function canKillGroups(): boolean {
  return Deno.permissions.querySync({ name: "run" }).state === "granted";
}

/**
 * Sends `signal` to the child's whole process group, or only to the child when group kill is
 * not permitted (see {@linkcode canKillGroups}).
 * @returns False when there was nothing left to signal.
 */
export function killGroup(child: Deno.ChildProcess, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-child.pid, signal);
    return true;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) return false; // ESRCH: the group is gone
    try {
      child.kill(signal);
      return true;
    } catch {
      return false; // the child has exited (and was reaped)
    }
  }
}

/**
 * Longest {@linkcode reapGroup} waits for a SIGKILLed group to disappear. Killed processes go
 * at once; what can linger is a grandchild's zombie until PID 1 reaps it (an init like tini
 * does so immediately; some sandboxes' PID 1 takes about a second).
 */
export const REAP_WAIT_MS = 3000;

/**
 * SIGKILLs the child's process group until it no longer exists (`kill` answers ESRCH), backing
 * off from 1 ms to 50 ms, for at most `waitMs`. Call it after the child was reaped (its `status`
 * settled); a live leader keeps the group in existence. Without group-kill permission only the
 * child itself could be signalled, and it is gone already.
 * @returns Whether the group is known to be gone.
 */
export async function reapGroup(
  child: Deno.ChildProcess,
  waitMs = REAP_WAIT_MS,
): Promise<boolean> {
  const end = performance.now() + waitMs;
  for (let step = 1;; step = Math.min(step * 2, 50)) {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch (error) {
      return !(error instanceof Deno.errors.NotCapable);
    }
    if (performance.now() >= end) return false;
    await new Promise((r) => setTimeout(r, step));
  }
}

/**
 * SIGTERM to the group, up to `graceMs` for the leader to exit, then SIGKILL to the group
 * (which also removes grandchildren that ignored SIGTERM). Resolves when the leader exited.
 */
export async function terminateGroup(child: Deno.ChildProcess, graceMs: number): Promise<void> {
  killGroup(child, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const exited = await Promise.race([
    child.status.then(() => true),
    new Promise<boolean>((r) => timer = setTimeout(() => r(false), graceMs)),
  ]);
  clearTimeout(timer);
  killGroup(child, "SIGKILL");
  if (!exited) await child.status;
}
