/**
 * The types an author meets: job definitions, the job context and the logger.
 * @module
 */
import type { JobSchema, SchemaOutput } from "./schema.ts";
import type { ProcessResult, RunProcessOptions } from "./process.ts";
import type { PipeProcessOptions } from "./pipe_process.ts";
import type { SharedPaths } from "./shared_paths.ts";

/** Structured JSON logger; `fields` are merged into the log line. */
export interface Logger {
  /** Log at debug level. */
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Log at info level. */
  info(msg: string, fields?: Record<string, unknown>): void;
  /** Log at warn level. */
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** Log at error level. */
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A progress update sent by a job; stored on async jobs and streamed as SSE `progress` events. */
export interface Progress {
  /** 0–100 when known. */
  percent?: number;
  /** Short human-readable status. */
  message?: string;
  /** Any extra JSON fields (e.g. `out_time_ms`, `frame`). */
  [key: string]: unknown;
}

/** Options of {@linkcode JobContext.exec}: like {@linkcode RunProcessOptions} minus the signal. */
export type ExecOptions = Omit<RunProcessOptions, "signal">;

/** Options of {@linkcode JobContext.pipe}: like {@linkcode PipeProcessOptions} minus the signal. */
export type PipeOptions = Omit<PipeProcessOptions, "signal">;

/** What a job's `run` receives besides its input. Everything is scoped to this one job. */
export interface JobContext {
  /** Unique job id (also the name of the per-job output directory). */
  readonly id: string;
  /** The job's name, e.g. `"extract-frames"`. */
  readonly job: string;
  /** Request id (from `X-Request-Id` or generated). */
  readonly requestId: string;
  /** Aborted on timeout, client disconnect, `DELETE /jobs/:id` or shutdown. */
  readonly signal: AbortSignal;
  /** Logger whose lines carry `job`, `job_id` and `request_id`. */
  readonly log: Logger;
  /** Shared-directory path helpers (virtual `/shared/...` ⇄ real path). */
  readonly paths: SharedPaths;
  /**
   * Runs a binary (argv, no shell) bound to this job: killed with its process group when the job
   * is aborted; cwd and `TMPDIR` default to the job's scratch directory.
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ProcessResult>;
  /** Runs a binary streaming `stdin` through it; returns its stdout as a stream. */
  pipe(argv: readonly string[], options?: PipeOptions): ReadableStream<Uint8Array>;
  /** Creates and returns the fresh per-job directory `<dir>/<job id>` (real path). */
  outputDir(dir: string): Promise<string>;
  /** Creates (once) and returns this job's scratch directory under `TMPDIR`; removed afterwards. */
  scratchDir(): Promise<string>;
  /** Reports progress (async jobs keep the latest and stream it as SSE). */
  progress(update: Progress): void;
}

/** Per-job overrides of the global limits. */
export interface JobLimits {
  /** Timeout in ms (default: `JOB_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Jobs of this kind that may run at once (default: only the global `MAX_CONCURRENCY`). */
  maxConcurrency?: number;
  /** Jobs of this kind that may wait (default: only the global `MAX_QUEUE`). */
  maxQueue?: number;
}

/** A JSON job: validated JSON in, JSON object out. Build with {@linkcode job}. */
export interface JsonJob<S extends JobSchema = JobSchema> extends JobLimits {
  /** Discriminator. */
  readonly kind: "json";
  /** zod schema of the request body (any zod 4 schema); use `sharedPath()` for file paths. */
  readonly input: S;
  /** Optional zod schema of the result (documented in OpenAPI and checked at run time). */
  readonly output?: JobSchema;
  /** One-line description for OpenAPI. */
  readonly description?: string;
  /** The work. Returned real paths under the shared directory are mapped to `/shared/...`. */
  run(
    input: SchemaOutput<S>,
    ctx: JobContext,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** A body job: raw request body in, raw (streamed) body out. Build with {@linkcode bodyJob}. */
export interface BodyJob extends JobLimits {
  /** Discriminator. */
  readonly kind: "body";
  /** Accepted request content types (`"*\/*"` accepts any); others get 415. */
  readonly accept: readonly string[];
  /** Content type of the response when `run` returns a stream or bytes. */
  readonly contentType?: string;
  /** Body size limit in bytes (default: `BODY_LIMIT`). */
  readonly maxBytes?: number;
  /** One-line description for OpenAPI. */
  readonly description?: string;
  /** The work: consume `body`, return a Response, stream, bytes or string. */
  run(
    body: ReadableStream<Uint8Array>,
    ctx: JobContext,
  ): BodyOutput | Promise<BodyOutput>;
}

/** What a body job may return. */
export type BodyOutput = Response | ReadableStream<Uint8Array> | Uint8Array | string;

/** Any job. */
export type Job = JsonJob | BodyJob;

/** What the startup self-check receives. */
export interface CheckContext {
  /** Runs a binary (e.g. `ffmpeg -version`); killed after the check's timeout. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ProcessResult>;
  /** Logger. */
  readonly log: Logger;
  /** Shared-directory helpers. */
  readonly paths: SharedPaths;
}

/**
 * Shapes the body of a ready `GET /health` from the self-check's result. The kit answers
 * `{ "status": "ok", ...fields }` (`status` always comes first and is always `"ok"`; a `status`
 * field returned here is ignored). It runs once, when the self-check passed, and the JSON text is
 * reused for every probe; if it throws or returns something that is not a JSON object, the
 * sidecar stays unready and `/health` answers 503 with the reason.
 *
 * @param info What `check` returned (`{}` without a check).
 * @param sidecar The sidecar's `name` and `version`.
 * @returns The fields shown next to `status`.
 * @example
 * ```ts
 * import { defineSidecar, type HealthBody, job } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const healthBody: HealthBody = (info, { version }) => ({
 *   tool: info.path,
 *   tool_version: info.version,
 *   sidecar_version: version,
 * });
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   check: () => ({ path: "/usr/bin/true", version: "9.1" }),
 *   healthBody,
 *   jobs: { ping: job({ input: z.object({}), run: () => ({}) }) },
 * });
 * if (sidecar.healthBody !== healthBody) throw new Error();
 * ```
 */
export type HealthBody = (
  info: Record<string, unknown>,
  sidecar: { readonly name: string; readonly version: string },
) => Record<string, unknown>;

/** A sidecar definition (the value {@linkcode defineSidecar} returns). */
export interface Sidecar {
  /** Name, `[a-z][a-z0-9_-]*` (matches the workflow's `sidecars[].name`). */
  readonly name: string;
  /** Version shown in `/health` and OpenAPI (default `"0.0.0"`). */
  readonly version: string;
  /** Readiness path (default `/health`). */
  readonly healthPath: string;
  /** Default port when `PORT` is unset (default 9000). */
  readonly port: number;
  /**
   * Startup self-check; its result is shown in `/health` (under `info`, or as `healthBody`
   * shapes it). Throw to stay unready.
   */
  readonly check?: (
    ctx: CheckContext,
  ) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;
  /** Shapes the ready `/health` body (see {@linkcode HealthBody}); default `{ sidecar, version, info }`. */
  readonly healthBody?: HealthBody;
  /** Jobs by name; each is served at `POST /<name>`. */
  readonly jobs: Readonly<Record<string, Job>>;
}

/** Hono environment of the sidecar app (`c.get("requestId")` in middleware you add). */
export type SidecarEnv = { Variables: { requestId: string } };
