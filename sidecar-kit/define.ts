/**
 * `defineSidecar`, `job` and `bodyJob`: the author-facing constructors.
 * @module
 */
import { globalRegistry, type z } from "zod";
import { zodSchema } from "./_zod_schema.ts";
import type { JobSchema } from "./schema.ts";
import type { BodyJob, CheckContext, HealthBody, Job, JsonJob, Sidecar } from "./types.ts";

const NAME_RE = /^[a-z][a-z0-9_-]*$/;
const RESERVED = new Set(["jobs", "metrics", "openapi.json"]);

/** What {@linkcode defineSidecar} accepts; only `name` and `jobs` are required. */
export interface SidecarOptions {
  /** Name, `[a-z][a-z0-9_-]*`. */
  name: string;
  /** Version shown in `/health` and OpenAPI (default `"0.0.0"`). */
  version?: string;
  /** Readiness path (default `/health`). */
  healthPath?: string;
  /** Default port when `PORT` is unset (default 9000). */
  port?: number;
  /** Startup self-check (e.g. run `tool --version`); throw to stay unready. */
  check?: (
    ctx: CheckContext,
  ) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;
  /**
   * Shapes the ready `/health` body from the self-check's result, e.g.
   * `(info) => ({ ffmpeg: info.path, version: info.version })` answers
   * `{ "status": "ok", "ffmpeg": ..., "version": ... }`. Default:
   * `{ status, sidecar, version, info }`. See {@linkcode HealthBody}.
   */
  healthBody?: HealthBody;
  /** Jobs by name, served at `POST /<name>`. */
  jobs: Record<string, Job>;
}

/**
 * Validates and freezes a sidecar definition.
 *
 * @param options Name, jobs and optional health path, port, version, self-check and health body.
 * @returns The sidecar, ready for `serveSidecar` or `createSidecarApp`.
 * @throws {TypeError} Listing every problem: bad names, reserved job names, bad port or path.
 * @example
 * ```ts
 * import { defineSidecar, job } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "echo",
 *   jobs: { echo: job({ input: z.object({ text: z.string() }), run: (i) => ({ text: i.text }) }) },
 * });
 * if (sidecar.healthPath !== "/health") throw new Error("default health path");
 * ```
 */
export function defineSidecar(options: SidecarOptions): Sidecar {
  const problems: string[] = [];
  const healthPath = options.healthPath ?? "/health";
  const port = options.port ?? 9000;
  if (!NAME_RE.test(options.name)) {
    problems.push(`sidecar name "${options.name}" is invalid: must match [a-z][a-z0-9_-]*`);
  }
  if (!/^\/[A-Za-z0-9._~\/-]*$/.test(healthPath)) {
    problems.push(
      `healthPath "${healthPath}" is invalid: must be an absolute URL path like /health`,
    );
  }
  if (options.healthBody !== undefined && typeof options.healthBody !== "function") {
    problems.push(`healthBody must be a function, got ${typeof options.healthBody}`);
  }
  // The Sidecar Specification's rules and words for a sidecar's port.
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    problems.push(`sidecar "${options.name}": port ${port} is out of range (1024-65535)`);
  } else if (port === 8080) {
    problems.push(`sidecar "${options.name}": port 8080 is reserved for the engine`);
  }
  const names = Object.keys(options.jobs);
  if (names.length === 0) problems.push("jobs: at least one job is required");
  for (const name of names.sort()) {
    if (!NAME_RE.test(name)) {
      problems.push(`job name "${name}" is invalid: must match [a-z][a-z0-9_-]*`);
    } else if (RESERVED.has(name) || `/${name}` === healthPath) {
      problems.push(`job name "${name}" is reserved (health, jobs, metrics, openapi.json)`);
    }
    const j = options.jobs[name];
    if (!j || (j.kind !== "json" && j.kind !== "body")) {
      problems.push(`job "${name}" must be created with job() or bodyJob()`);
    }
  }
  if (problems.length > 0) {
    throw new TypeError(`invalid sidecar definition:\n  - ${problems.join("\n  - ")}`);
  }
  return Object.freeze({
    name: options.name,
    version: options.version ?? "0.0.0",
    healthPath,
    port,
    ...(options.check ? { check: options.check } : {}),
    ...(options.healthBody ? { healthBody: options.healthBody } : {}),
    jobs: Object.freeze({ ...options.jobs }),
  });
}

/**
 * Declares a JSON job: the body is parsed and validated with `input`, `run` returns a JSON object
 * (the response adds `duration_ms`).
 *
 * @param definition `input` schema, `run`, optional `output` schema, description and limits.
 * @returns The job, to be placed in `defineSidecar({ jobs })`.
 * @throws {TypeError} When `input` or `output` is not a zod 4 schema or a limit is not a positive
 * integer.
 * @example
 * ```ts
 * import { job } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const upper = job({
 *   input: z.object({ text: z.string() }),
 *   run: ({ text }) => ({ text: text.toUpperCase() }),
 * });
 * if (upper.kind !== "json") throw new Error("json job");
 * ```
 */
export function job<S extends JobSchema>(definition: Omit<JsonJob<S>, "kind">): JsonJob<S> {
  const input = rejectUnknownFields(zodSchema(definition.input, "job input")) as unknown as S;
  if (definition.output !== undefined) zodSchema(definition.output, "job output");
  checkLimits(definition);
  return Object.freeze({ ...definition, input, kind: "json" as const });
}

/**
 * An object input schema that says nothing about unknown fields rejects them: a misspelled
 * option (`fsp` for `fps`) is a 400 listing the allowed fields, not silently ignored. A schema
 * made with `.loose()`, `.strict()` or `.catchall()` keeps its own rule.
 */
function rejectUnknownFields(schema: z.core.$ZodType): z.core.$ZodType {
  const def = schema._zod.def as { type: string; catchall?: unknown };
  const strict = (schema as { strict?: () => z.core.$ZodType }).strict;
  // zod/mini objects have no .strict(): they keep zod's default.
  if (def.type !== "object" || def.catchall !== undefined || typeof strict !== "function") {
    return schema;
  }
  const strictSchema = strict.call(schema);
  // .strict() makes a new schema: keep the description and metadata OpenAPI shows.
  const meta = globalRegistry.get(schema);
  if (meta !== undefined) globalRegistry.add(strictSchema, meta);
  return strictSchema;
}

/**
 * Declares a body job: `run` receives the raw request body as a stream (size-limited) and
 * returns a raw body, which is streamed back.
 *
 * @param definition `accept` content types, `run`, optional `contentType`, `maxBytes`, limits.
 * @returns The job, to be placed in `defineSidecar({ jobs })`.
 * @throws {TypeError} When `accept` is empty or a limit is not a positive integer.
 * @example
 * ```ts
 * import { bodyJob } from "@tntc/sidecar-kit";
 * const reverse = bodyJob({
 *   accept: ["text/plain"],
 *   run: async (body) => [...await new Response(body).text()].reverse().join(""),
 * });
 * if (reverse.kind !== "body") throw new Error("body job");
 * ```
 */
export function bodyJob(definition: Omit<BodyJob, "kind">): BodyJob {
  if (definition.accept.length === 0) {
    throw new TypeError("bodyJob: accept must list at least one content type (or */*)");
  }
  checkLimits(definition);
  return Object.freeze({ ...definition, kind: "body" as const });
}

function checkLimits(d: { timeoutMs?: number; maxConcurrency?: number; maxQueue?: number }): void {
  const bad: string[] = [];
  for (const key of ["timeoutMs", "maxConcurrency"] as const) {
    const v = d[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      bad.push(`${key} must be an integer >= 1`);
    }
  }
  if (d.maxQueue !== undefined && (!Number.isInteger(d.maxQueue) || d.maxQueue < 0)) {
    bad.push("maxQueue must be an integer >= 0");
  }
  if (bad.length > 0) throw new TypeError(`invalid job limits: ${bad.join("; ")}`);
}
