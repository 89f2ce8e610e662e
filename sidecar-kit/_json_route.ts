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
  if (!parsed.success) throw invalidInput(parsed.error.issues);
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

/** The 400 for zod issues: every field and rule in `error`, details in `issues`. */
export function invalidInput(issues: readonly z.core.$ZodIssue[]): SidecarHttpError {
  const list = issues.map((i) => ({ path: formatPath(i.path), message: i.message, code: i.code }));
  const text = list.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new SidecarHttpError(400, `invalid input: ${text}`, { issues: list });
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
