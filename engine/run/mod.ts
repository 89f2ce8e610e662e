/**
 * Runs workflows: the sandboxed DAG executor and the `ctx` given to node code.
 *
 * Each run goes to one warm sandbox (a Worker with at most the engine's permissions, narrowed
 * to the hosts its nodes declare), which schedules the whole DAG and answers with one message,
 * so isolation costs a round trip per run, not per node. What the engine process needs:
 * - `--unstable-worker-options` (Worker `deno.permissions`). `engineCommand()` passes it and
 *   the root deno.json enables it. Without it Deno itself ends the process with exit code 70
 *   and "Unstable API 'Worker.deno.permissions'. The `--unstable-worker-options` flag must be
 *   provided." when the first sandbox starts (inside `createRunner`, before any node runs);
 *   JavaScript cannot catch or detect that, so the flag must be on the command line or config.
 * - read access to {@linkcode SANDBOX_CODE_DIR}.
 * - optionally `--v8-flags=--max-semi-space-size=2`: caps V8's young generation in every
 *   isolate; measured ~10 MB less RSS after a few thousand runs and ~50 MB less under load,
 *   at no measurable CPU cost (see `engine/bench/run_bench.ts`).
 *
 * A node that blocks its sandbox (a CPU-bound loop) is reported `timed_out` at its timeout and
 * its sandbox is replaced, so the engine keeps serving. Deno 2.9's `Worker.terminate()` does
 * not interrupt running JavaScript, though: the old thread may keep a CPU busy until the
 * process exits. `runner.stats().stuckSandboxes` counts such sandboxes; the server
 * (`engine/server/serve.ts`) then refuses new runs, drains the others and exits with code 75
 * (`EXIT_RESTART`) to be restarted, which is what finally stops the thread.
 *
 * @example
 * ```ts ignore
 * import { createRunner } from "./mod.ts";
 * import { loadWorkflow } from "../spec/load.ts";
 * const runner = await createRunner(await loadWorkflow("examples/hello"), { layout });
 * console.log(await runner.run({ name: "world" }));
 * await runner.close();
 * ```
 *
 * @module
 */
export { createRunner, SANDBOX_CODE_DIR } from "./runner.ts";
export { loadSecrets } from "./secrets.ts";
export type { SecretSources } from "./secrets.ts";
export { NodeLoadError } from "./node_load_error.ts";
export type { Clock, LogRecord, LogSink, RunnerOptions } from "./options.ts";
export type {
  NodeResult,
  NodeStatus,
  RunnerStats,
  RunOptions,
  RunResult,
  WorkflowRunner,
} from "./types.ts";
export type {
  Context,
  DependencyInfo,
  LogLevel,
  NodeFunction,
  NodeLogger,
  Secrets,
  SidecarClient,
} from "./context.ts";
export { SidecarError } from "./sidecar_error.ts";
export { mapSharedPath, POD_SHARED_DIR } from "./shared_path.ts";
