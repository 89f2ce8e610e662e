/**
 * Builds the `JobContext` handed to `run`: process helpers bound to the job's signal, per-job
 * output and scratch directories, progress and logging.
 * @module
 */
import { pipeProcess } from "./pipe_process.ts";
import { runProcess } from "./process.ts";
import type { JsonLogger } from "./log.ts";
import type { Runtime } from "./_runtime.ts";
import type { JobContext, Progress } from "./types.ts";

/** A context plus its cleanup. */
export interface OwnedContext {
  /** Handed to `run`. */
  ctx: JobContext;
  /** Removes the scratch directory, if one was made. */
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

/** Creates the context for one job run. */
export function createJobContext(rt: Runtime, init: ContextInit): OwnedContext {
  let scratch: string | undefined;
  const scratchDir = (): string => {
    // Sync so exec/pipe can use it without an extra await; one mkdir per job at most.
    scratch ??= Deno.makeTempDirSync({ dir: rt.config.tmpDir, prefix: `job-${init.id}-` });
    return scratch;
  };
  const ctx: JobContext = {
    id: init.id,
    job: init.job,
    requestId: init.requestId,
    signal: init.signal,
    log: init.log,
    paths: rt.paths,
    exec: (argv, options = {}) => {
      const dir = scratchDir();
      return runProcess(argv, {
        ...options,
        cwd: options.cwd ?? dir,
        env: { TMPDIR: dir, ...options.env },
        signal: init.signal,
      });
    },
    pipe: (argv, options = {}) => {
      const dir = scratchDir();
      return pipeProcess(argv, {
        ...options,
        cwd: options.cwd ?? dir,
        env: { TMPDIR: dir, ...options.env },
        signal: init.signal,
      });
    },
    outputDir: async (dir) => {
      const parent = await rt.paths.resolve(dir);
      await Deno.mkdir(parent, { recursive: true });
      const own = `${parent}/${init.id}`;
      await Deno.mkdir(own); // not recursive: fails if it exists, so it is always fresh
      return own;
    },
    scratchDir: () => Promise.resolve(scratchDir()),
    progress: (update) => init.onProgress?.(update),
  };
  return {
    ctx,
    cleanup: async () => {
      if (scratch === undefined) return;
      try {
        await Deno.remove(scratch, { recursive: true });
      } catch (error) {
        init.log.warn("scratch cleanup failed", { dir: scratch, error });
      }
    },
  };
}
