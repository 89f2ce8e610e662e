/**
 * `buildOpenApi`: the OpenAPI 3.1 document of a sidecar, generated from its zod schemas
 * (zod 4 `z.toJSONSchema`, input side).
 * @module
 */
import { z } from "zod";
import { zodSchema } from "./_zod_schema.ts";
import type { JobSchema } from "./schema.ts";
import type { Sidecar } from "./types.ts";

const ERROR_SCHEMA = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" } },
  additionalProperties: true,
};

const errorRef = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const JOB_ERRORS = {
  "400": errorRef("Invalid input: `error` names each field and rule; `issues[]` has details"),
  "413": errorRef("Body too large"),
  "415": errorRef("Wrong content type"),
  "429": errorRef("Queue full (see Retry-After)"),
  "499": errorRef("Client went away; job cancelled"),
  "500": errorRef("Tool failure: exit_code, stderr_tail"),
  "503": errorRef("Not ready or shutting down"),
  "504": errorRef("Job timeout"),
};

/**
 * Builds the OpenAPI document served at `/openapi.json`.
 *
 * @param sidecar From `defineSidecar`.
 * @param limits Effective limits, published as `info["x-limits"]` (used by the conformance check).
 * @returns A JSON-serialisable OpenAPI 3.1 object.
 * @example
 * ```ts
 * import { buildOpenApi, defineSidecar, job } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const doc = buildOpenApi(defineSidecar({
 *   name: "demo",
 *   jobs: { add: job({ input: z.object({ a: z.number() }), run: ({ a }) => ({ a }) }) },
 * }));
 * if (!("/add" in (doc.paths as Record<string, unknown>))) throw new Error();
 * ```
 */
export function buildOpenApi(
  sidecar: Sidecar,
  limits?: { bodyLimit: number; maxConcurrency: number; maxQueue: number; jobTimeoutMs: number },
): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    [sidecar.healthPath]: {
      get: {
        summary: "Readiness: 200 once the self-check passed",
        responses: { "200": { description: "Ready" }, "503": errorRef("Not ready") },
      },
    },
    "/jobs/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      get: {
        summary: "Async job status, progress, result or error",
        responses: {
          "200": { description: "Job state" },
          "404": errorRef("Unknown or expired job"),
        },
      },
      delete: {
        summary: "Cancel an async job",
        responses: { "200": { description: "Cancelled" }, "409": errorRef("Already finished") },
      },
    },
    "/jobs/{id}/events": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      get: {
        summary: "Progress as Server-Sent Events (status, progress, end)",
        responses: { "200": { description: "SSE", content: { "text/event-stream": {} } } },
      },
    },
    "/metrics": {
      get: { summary: "Prometheus metrics", responses: { "200": { description: "Text format" } } },
    },
  };
  for (const [name, def] of Object.entries(sidecar.jobs).sort(([a], [b]) => a.localeCompare(b))) {
    if (def.kind === "json") {
      const ok = def.output ? schemaOf(def.output, "output") : { type: "object" };
      paths[`/${name}`] = {
        post: {
          operationId: name,
          summary: def.description ?? `Run ${name}`,
          parameters: [{
            name: "Prefer",
            in: "header",
            required: false,
            description: "respond-async: answer 202 and run in the background",
            schema: { type: "string" },
          }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(def.input, "input") } },
          },
          responses: {
            "200": {
              description: "Result plus duration_ms",
              content: { "application/json": { schema: ok } },
            },
            "202": { description: "Accepted (async): id, status, status_url" },
            ...JOB_ERRORS,
          },
        },
      };
    } else {
      const content = Object.fromEntries(
        def.accept.map((t) => [t, { schema: { type: "string" } }]),
      );
      paths[`/${name}`] = {
        post: {
          operationId: name,
          summary: def.description ?? `Run ${name} on the request body`,
          requestBody: { required: true, content },
          responses: {
            "200": {
              description: "Raw body",
              content: { [def.contentType ?? "application/octet-stream"]: {} },
            },
            ...JOB_ERRORS,
          },
        },
      };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${sidecar.name} sidecar`,
      version: sidecar.version,
      ...(limits
        ? {
          "x-limits": {
            body_limit: limits.bodyLimit,
            max_concurrency: limits.maxConcurrency,
            max_queue: limits.maxQueue,
            job_timeout_ms: limits.jobTimeoutMs,
            body_limits: Object.fromEntries(
              Object.entries(sidecar.jobs).map((
                [n, j],
              ) => [n, j.kind === "body" ? j.maxBytes ?? limits.bodyLimit : limits.bodyLimit]),
            ),
          },
        }
        : {}),
    },
    paths,
    components: { schemas: { Error: ERROR_SCHEMA } },
  };
}

function schemaOf(schema: JobSchema, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(zodSchema(schema, `job ${io}`), {
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
