/**
 * `POST /<job>` for JSON jobs: content type, body limit, JSON parse, zod validation (400 naming
 * each field and rule), then a sync run (200) or an async submission (202).
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import { zodSchema } from "./_zod_schema.ts";
import { SidecarHttpError } from "./errors.ts";
import { withSharedPaths } from "./shared_path_schema.ts";
import { admit, execute } from "./_execute.ts";
import { mediaType, readLimited } from "./_request_body.ts";
import { submitAsync } from "./_async_route.ts";
import type { JobStore } from "./_job_store.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";
import type { JsonJob } from "./types.ts";

/** Handles one JSON job request. */
export async function handleJsonJob(
  c: Context<SidecarEnv>,
  rt: Runtime,
  store: JobStore,
  name: string,
  def: JsonJob,
): Promise<Response> {
  admit(rt, name);
  const type = mediaType(c.req.raw);
  if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new SidecarHttpError(
      415,
      `unsupported content type "${type || "(none)"}": send application/json`,
      { accepted: ["application/json"] },
    );
  }
  const bytes = await readLimited(c.req.raw, rt.config.bodyLimit);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new SidecarHttpError(400, `malformed JSON body: ${why}`, {}, { cause });
  }
  const input = zodSchema(def.input, "job input");
  const parsed = await withSharedPaths(rt.paths, () => z.safeParseAsync(input, body));
  if (!parsed.success) throw invalidInput(parsed.error.issues, fieldOrder(input));
  const requestId = c.get("requestId");
  const id = crypto.randomUUID();
  const run = async (ctx: Parameters<JsonJob["run"]>[1]) =>
    checkResult(def, await def.run(parsed.data, ctx));
  if (/\brespond-async\b/i.test(c.req.header("prefer") ?? "")) {
    return submitAsync(c, rt, store, { id, job: name, requestId }, run);
  }
  const ex = await execute(rt, { id, job: name, requestId, clientSignal: c.req.raw.signal }, run);
  await ex.finish();
  return c.json({ ...rt.paths.virtualize(ex.value), duration_ms: Math.round(ex.durationMs) });
}

/**
 * The 400 for zod issues: every field and rule in `error`, details in `issues`. Issues are
 * ordered by field (as declared in `order`, then by path), because async checks (shared paths)
 * finish in file-system order; the issues of one field keep zod's order.
 */
export function invalidInput(
  issues: readonly z.core.$ZodIssue[],
  order: readonly string[] = [],
): SidecarHttpError {
  const rank = (key: PropertyKey | undefined) => {
    const i = order.indexOf(String(key));
    return i < 0 ? order.length : i;
  };
  const sorted = issues.map((issue, n) => ({ issue, n })).sort((a, b) =>
    rank(a.issue.path[0]) - rank(b.issue.path[0]) ||
    comparePaths(a.issue.path, b.issue.path) || a.n - b.n
  ).map((e) => e.issue);
  const list = sorted.map((i) => ({
    path: formatPath(i.path),
    message: i.code === "unrecognized_keys" && i.path.length === 0 && order.length > 0
      ? `${i.message} (allowed: ${order.join(", ")})`
      : i.message,
    code: i.code,
  }));
  const text = list.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new SidecarHttpError(400, `invalid input: ${text}`, { issues: list });
}

/** Top-level field names of an object schema, in declaration order (else none). */
function fieldOrder(schema: z.core.$ZodType): string[] {
  const def = schema._zod.def as { shape?: Record<string, unknown>; in?: z.core.$ZodType };
  // An object refined and transformed (`.superRefine(...).transform(...)`) is a pipe.
  if (def.in !== undefined) return fieldOrder(def.in);
  return def.shape && typeof def.shape === "object" ? Object.keys(def.shape) : [];
}

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(body)";
  return path.map((p, i) => typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)
    .join("");
}

async function checkResult(def: JsonJob, value: unknown): Promise<Record<string, unknown>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(
      `job returned ${Array.isArray(value) ? "an array" : typeof value}, not an object`,
    );
  }
  if (def.output) {
    const r = await z.safeParseAsync(zodSchema(def.output, "job output"), value);
    if (!r.success) {
      const text = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
      throw new TypeError(`job returned invalid output: ${text}`);
    }
  }
  return value as Record<string, unknown>;
}
