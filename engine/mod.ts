/**
 * The workflow-pod engine: parse and validate `workflow.yaml`, compile its DAG, and derive
 * the Deno permissions its engine container runs with.
 *
 * @example
 * ```ts
 * import { compile, derivePermissions, toDenoFlags, validateWorkflow } from "@tntc/engine";
 * const wf = validateWorkflow(
 *   "name: demo\nversion: \"1.0\"\nnodes:\n  a:\n    path: ./a.ts\n  b:\n    path: ./b.ts\n" +
 *     "edges:\n  - from: a\n    to: b\n",
 * );
 * console.assert(compile(Object.keys(wf.nodes), wf.edges).order.join() === "a,b");
 * console.assert(toDenoFlags(derivePermissions(wf))[1] === "--allow-read=/app,/var/run/secrets");
 * ```
 *
 * @module
 */
export { compile } from "./dag/compile.ts";
export type { CompiledGraph, Edge } from "./dag/compile.ts";
export { CycleError } from "./dag/cycle_error.ts";
export { findCycles } from "./dag/find_cycles.ts";
export { dependencyAddress, derivePermissions, POD_LAYOUT, toDenoFlags } from "./flags/derive.ts";
export type { DenoPermissions, EngineLayout } from "./flags/derive.ts";
export { isDuration, parseDuration } from "./spec/duration.ts";
export { formatPath, WorkflowSyntaxError, WorkflowValidationError } from "./spec/errors.ts";
export type { SpecIssue, SpecPath } from "./spec/errors.ts";
export { loadWorkflow, WORKFLOW_FILE } from "./spec/load.ts";
export type { LoadedWorkflow } from "./spec/load.ts";
export { DEFAULT_PORTS } from "./spec/schema.ts";
export type {
  Contract,
  Dependency,
  ResourceList,
  Sidecar,
  Trigger,
  Workflow,
  WorkflowConfig,
  WorkflowNode,
} from "./spec/types.ts";
export { workflowJsonSchema } from "./spec/json_schema.ts";
export type { NodeFileSystem } from "./spec/node_rules.ts";
export { validateWorkflow } from "./spec/validate.ts";
export { DEFAULT_ENGINE_IMAGE } from "./k8s/engine_container.ts";
export { defaultNamespace } from "./k8s/names.ts";
export { digestWarnings, isPinnedByDigest } from "./k8s/digest.ts";
export { generateManifests } from "./k8s/manifests.ts";
export type { KubernetesObject, ManifestOptions, Manifests } from "./k8s/manifests.ts";
export { kubectlApply } from "./k8s/kubectl.ts";
export type { ApplyOptions, ApplyOutcome, ProcessResult, ProcessRunner } from "./k8s/kubectl.ts";
export { ManifestError } from "./k8s/errors.ts";
export { manifestsFromDir } from "./k8s/from_dir.ts";
export { OUTPUT_FORMATS, renderManifests } from "./k8s/render.ts";
export type { OutputFormat } from "./k8s/render.ts";
export { readWorkflowFiles } from "./k8s/workflow_files.ts";
export type { WorkflowFile } from "./k8s/workflow_files.ts";
export { createRunner, SANDBOX_CODE_DIR } from "./run/runner.ts";
export { loadSecrets } from "./run/secrets.ts";
export type { SecretSources } from "./run/secrets.ts";
export { NodeLoadError } from "./run/node_load_error.ts";
export { SidecarError } from "./run/sidecar_error.ts";
export { mapSharedPath, POD_SHARED_DIR } from "./run/shared_path.ts";
export type { Clock, LogRecord, LogSink, RunnerOptions } from "./run/options.ts";
export type { RunnerStats } from "./run/types.ts";
export type { NodeResult, NodeStatus, RunOptions, RunResult, WorkflowRunner } from "./run/types.ts";
export type {
  Context,
  DependencyInfo,
  LogLevel,
  NodeFunction,
  NodeLogger,
  Secrets,
  SidecarClient,
} from "./run/context.ts";
export type { ValidateOptions } from "./spec/validate.ts";
export {
  createEngineApp,
  createEngineLogger,
  DEFAULT_MAX_BODY_BYTES,
  describeStartupError,
  ENGINE_ENV,
  ENGINE_USAGE,
  ENGINE_V8_FLAGS,
  EngineArgsError,
  engineCommand,
  EngineMetrics,
  EXIT_RESTART,
  forwardSignals,
  layoutArgs,
  localEngineInstall,
  localLayout,
  LOG_LEVELS,
  NotAcceptingError,
  parseEngineArgs,
  parseJsonInput,
  POD_ENGINE_INSTALL,
  probeSidecars,
  readBody,
  RunLimitError,
  RunRegistry,
  SANDBOX_CODE_PATH,
  spawnLocalEngine,
  splitListen,
  startEngine,
  STUCK_DRAIN_REASON,
  waitForSidecars,
  watchStuckSandboxes,
} from "./server/mod.ts";
export type {
  EngineApp,
  EngineAppOptions,
  EngineCommandOptions,
  EngineConfig,
  EngineEnv,
  EngineHandle,
  EngineInstall,
  EngineLogger,
  EngineLoggerOptions,
  EngineStopReport,
  LocalLayoutOptions,
  ProbeOptions,
  ReadinessReport,
  RunRecord,
  RunRegistryOptions,
  RunStatus,
  SidecarHealth,
  SpawnLocalEngineOptions,
  StartedRun,
  StartEngineOptions,
  StuckWatch,
  StuckWatchOptions,
  WaitForSidecarsOptions,
} from "./server/mod.ts";
export {
  assertTriggersSupported,
  createSignatureVerifier,
  cronerScheduler,
  GITHUB_SIGNATURE_HEADER,
  prepareWebhooks,
  SIGNATURE_HEADER,
  signBody,
  startCronTriggers,
  SUPPORTED_TRIGGERS,
  triggerLabel,
  UnsupportedTriggerError,
  WebhookSecretError,
} from "./triggers/mod.ts";
export type {
  CronTickOutcome,
  CronTrigger,
  CronTriggersOptions,
  Scheduler,
  SignatureVerifier,
  WebhookRoute,
} from "./triggers/mod.ts";
