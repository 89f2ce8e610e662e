/**
 * Builds the `JobContext` handed to `run`: process helpers bound to the job's signal, per-job
 * output and scratch directories, progress and logging. The job's processes are tracked, so the
 * job ends only once every one of them (and its process group) is gone.
 * @module
 */
import { REAP_WAIT_MS } from "./_process_group.ts";
import { startPipe } from "./_pipe.ts";
import { runProcess } from "./process.ts";
import type { JsonLogger } from "./log.ts";
import type { Runtime } from "./_runtime.ts";
import type { JobContext, Progress } from "./types.ts";

/** A context plus its cleanup. */
export interface OwnedContext {
  /** Handed to `run`. */
  ctx: JobContext;
  /**
   * Kills the job's processes that are still running (after their SIGTERM grace), waits until
   * their process groups are gone (bounded), then removes the scratch directory.
   */
  cleanup(): Promise<void>;
}

/** Everything the context needs from the execution. */
export interface ContextInit {
  id: string;
  job: string;
  requestId: string;
  signal: AbortSignal;
  log: JsonLogger;
  onProgress?: ((p: Progress) => void) | undefined;
}

/** Default SIGTERM-to-SIGKILL grace of `exec`/`pipe` (as in `runProcess`). */
const KILL_GRACE_MS = 1000;

/** Creates the context for one job run. */
export function createJobContext(rt: Runtime, init: ContextInit): OwnedContext {
  let scratch: string | undefined;
  const scratchDir = (): string => {
    // Sync so exec/pipe can use it without an extra await; one mkdir per job at most.
    scratch ??= Deno.makeTempDirSync({ dir: rt.config.tmpDir, prefix: `job-${init.id}-` });
    return scratch;
  };
  // Aborted with the job, and at cleanup for processes a `run` left behind.
  const procs = new AbortController();
  const onJobAbort = () => procs.abort(init.signal.reason);
  init.signal.addEventListener("abort", onJobAbort, { once: true });
  const running = new Set<Promise<void>>();
  let longestGrace = KILL_GRACE_MS;
  const track = (gone: Promise<unknown>, graceMs: number | undefined) => {
    longestGrace = Math.max(longestGrace, graceMs ?? KILL_GRACE_MS);
    const settled = gone.then(() => {}, () => {}); // also marks a rejection as handled
    running.add(settled);
    settled.then(() => running.delete(settled));
  };
  const options = <T extends { cwd?: string; env?: Record<string, string> }>(given: T) => {
    const dir = scratchDir();
    return {
      ...given,
      cwd: given.cwd ?? dir,
      env: { TMPDIR: dir, ...given.env },
      signal: procs.signal,
    };
  };
  const ctx: JobContext = {
    id: init.id,
    job: init.job,
    requestId: init.requestId,
    signal: init.signal,
    log: init.log,
    paths: rt.paths,
    exec: (argv, given = {}) => {
      // `runProcess` settles only after the process group is gone.
      const result = runProcess(argv, options(given));
      track(result, given.killGraceMs);
      return result;
    },
    pipe: (argv, given = {}) => {
      const { stream, gone } = startPipe(argv, options(given));
      track(gone, given.killGraceMs);
      return stream;
    },
    outputDir: async (dir) => {
      const parent = await rt.paths.ensureDir(dir);
      const own = `${parent}/${init.id}`;
      await Deno.mkdir(own); // not recursive: fails if it exists, so it is always fresh
      return own;
    },
    scratchDir: () => Promise.resolve(scratchDir()),
    progress: (update) => init.onProgress?.(update),
  };
  const cleanup = async () => {
    init.signal.removeEventListener("abort", onJobAbort);
    if (running.size > 0) {
      procs.abort(init.signal.aborted ? init.signal.reason : new Error("the job has ended"));
      const waitMs = longestGrace + REAP_WAIT_MS + 1000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = await Promise.race([
        Promise.all(running).then(() => true),
        new Promise<boolean>((r) => timer = setTimeout(() => r(false), waitMs)),
      ]);
      clearTimeout(timer);
      if (!done) init.log.warn("job processes still running after cleanup", { wait_ms: waitMs });
    }
    if (scratch === undefined) return;
    try {
      await Deno.remove(scratch, { recursive: true });
    } catch (error) {
      init.log.warn("scratch cleanup failed", { dir: scratch, error });
    }
  };
  return { ctx, cleanup };
}
