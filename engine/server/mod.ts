/**
 * The engine process: the Hono HTTP app (`POST /run`, `GET /health`, `GET /ready`,
 * `GET /runs/:id`, `POST /runs/:id/cancel`, `GET /metrics`, webhooks), the run registry
 * (concurrency limit, bounded history, cancellation, SIGTERM drain), sidecar readiness,
 * Prometheus metrics, and the one command line the engine runs with ({@linkcode engineCommand}).
 *
 * @example
 * ```ts
 * import { engineCommand } from "./mod.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * console.assert(engineCommand(wf).includes("--unstable-worker-options"));
 * ```
 *
 * @module
 */
export { createEngineApp } from "./app.ts";
export type { EngineApp, EngineAppOptions, EngineEnv } from "./app.ts";
export { ENGINE_USAGE, EngineArgsError, parseEngineArgs, splitListen } from "./engine_args.ts";
export type { EngineConfig } from "./engine_args.ts";
export {
  ENGINE_ENV,
  ENGINE_V8_FLAGS,
  engineCommand,
  layoutArgs,
  localEngineInstall,
  POD_ENGINE_INSTALL,
  SANDBOX_CODE_PATH,
} from "./engine_command.ts";
export type { EngineCommandOptions, EngineInstall } from "./engine_command.ts";
export { forwardSignals, localLayout, spawnLocalEngine } from "./local_engine.ts";
export type { LocalLayoutOptions, SpawnLocalEngineOptions } from "./local_engine.ts";
export { createEngineLogger, LOG_LEVELS } from "./log.ts";
export type { EngineLogger, EngineLoggerOptions } from "./log.ts";
export { EngineMetrics } from "./metrics.ts";
export { DEFAULT_MAX_BODY_BYTES, parseJsonInput, readBody } from "./read_body.ts";
export { probeSidecars } from "./readiness.ts";
export type { ProbeOptions, ReadinessReport, SidecarHealth } from "./readiness.ts";
export { NotAcceptingError, RunLimitError } from "./run_errors.ts";
export { RunRegistry } from "./run_registry.ts";
export type { RunRecord, RunRegistryOptions, RunStatus, StartedRun } from "./run_registry.ts";
export { startEngine } from "./serve.ts";
export type { EngineHandle, EngineStopReport, StartEngineOptions } from "./serve.ts";
export { describeStartupError } from "./startup_error.ts";
export { EXIT_RESTART, STUCK_DRAIN_REASON, watchStuckSandboxes } from "./stuck_drain.ts";
export type { StuckWatch, StuckWatchOptions } from "./stuck_drain.ts";
export { waitForSidecars } from "./wait_for_sidecars.ts";
export type { WaitForSidecarsOptions } from "./wait_for_sidecars.ts";
