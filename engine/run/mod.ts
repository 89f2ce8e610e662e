/**
 * Runs workflows: the sandboxed DAG executor and the `ctx` given to node code.
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
export type { NodeResult, NodeStatus, RunOptions, RunResult, WorkflowRunner } from "./types.ts";
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
