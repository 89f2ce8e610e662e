/**
 * Sidecar kit: turn a native binary into a safe, observable HTTP sidecar for a workflow pod.
 *
 * An author writes a name, a startup self-check and jobs (a zod input schema plus a `run`
 * function); the kit serves them with JSON errors, limits, timeouts, process-group killing,
 * shared-directory confinement, async jobs with SSE progress, Prometheus metrics, OpenAPI, JSON
 * logs and graceful shutdown.
 *
 * @example
 * ```ts
 * import { createSidecarApp, defineSidecar, job, SharedPaths } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "echo",
 *   jobs: { echo: job({ input: z.object({ text: z.string() }), run: (i) => ({ text: i.text }) }) },
 * });
 * const { app, close } = createSidecarApp(sidecar, { paths: new SharedPaths("/tmp") });
 * const res = await app.request("/echo", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ text: "hi" }),
 * });
 * if ((await res.json()).text !== "hi") throw new Error();
 * await close();
 * ```
 * @module
 */
export { bodyJob, defineSidecar, job } from "./define.ts";
export type { SidecarOptions } from "./define.ts";
export type {
  BodyJob,
  BodyOutput,
  CheckContext,
  ExecOptions,
  HealthBody,
  Job,
  JobContext,
  JobLimits,
  JsonJob,
  Logger,
  PipeOptions,
  Progress,
  Sidecar,
  SidecarEnv,
} from "./types.ts";
export { createSidecarApp } from "./app.ts";
export type { SidecarApp, SidecarAppOptions, SidecarHandler } from "./app.ts";
export { serveOrExit, serveSidecar } from "./serve.ts";
export type { ServeSidecarOptions, ServingSidecar } from "./serve.ts";
export { loadConfig, SidecarConfigError } from "./config.ts";
export type { SidecarConfig } from "./config.ts";
export { createSharedPaths, SharedPathError, SharedPaths } from "./shared_paths.ts";
export type { ResolveOptions } from "./shared_paths.ts";
export type { JobSchema, JobSchemaProps, SchemaOutput } from "./schema.ts";
export type {
  FieldSchema,
  FieldTypes,
  OptionalFieldSchema,
  OptionalSharedPathSchema,
  RefinementContext,
  RefineParams,
  SharedPathSchema,
} from "./field_schema.ts";
export { sharedPath, withSharedPaths } from "./shared_path_schema.ts";
export type { SharedPathOptions } from "./shared_path_schema.ts";
export { runProcess } from "./process.ts";
export type { ProcessResult, ProcessStartOptions, RunProcessOptions } from "./process.ts";
export { pipeProcess } from "./pipe_process.ts";
export type { PipeProcessOptions } from "./pipe_process.ts";
export { ProcessError } from "./process_error.ts";
export type { ProcessErrorInit, ProcessFailure } from "./process_error.ts";
export { errorResponse, mapError, SidecarHttpError } from "./errors.ts";
export type { MappedError } from "./errors.ts";
export { createLogger } from "./log.ts";
export type { JsonLogger, LoggerOptions, LogLevel } from "./log.ts";
export { buildOpenApi } from "./openapi.ts";
export { scaffoldSidecar } from "./scaffold.ts";
export type { ScaffoldOptions, ScaffoldResult } from "./scaffold.ts";
