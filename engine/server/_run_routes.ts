import type { Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { EngineAppOptions, EngineEnv } from "./app.ts";
import { DEFAULT_MAX_BODY_BYTES, parseJsonInput, readBody } from "./read_body.ts";
import { NotAcceptingError, RunLimitError } from "./run_errors.ts";
import type { RunRecord, StartedRun } from "./run_registry.ts";

type C = Context<EngineEnv>;

/**
 * Adds the run routes: `POST /run` (waits for the result; `?async=true` or
 * `Prefer: respond-async` answers 202 at once), `GET /runs/:id`, `POST /runs/:id/cancel`,
 * and `POST <path>` per webhook trigger (signature checked first; always 202).
 */
export function runRoutes(app: Hono<EngineEnv>, options: EngineAppOptions): void {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const retryAfter = String(options.retryAfterSeconds ?? 1);

  const start = (c: C, input: unknown, trigger: string): StartedRun => {
    try {
      const refusal = options.refusal?.();
      if (refusal !== undefined) throw new NotAcceptingError(refusal);
      const started = options.runs.start(input, { trigger, requestId: c.get("requestId") });
      c.header("X-Run-Id", started.record.runId);
      return started;
    } catch (err) {
      const status = err instanceof RunLimitError
        ? 429
        : err instanceof NotAcceptingError
        ? 503
        : undefined;
      if (status === undefined) throw err;
      options.metrics.runRejected(status === 429 ? "limit" : "not_accepting");
      c.get("log").info("run refused", { status, reason: (err as Error).message, trigger });
      const res = new Response(null, { headers: { "Retry-After": retryAfter } });
      throw new HTTPException(status, { message: (err as Error).message, res, cause: err });
    }
  };

  app.post("/run", async (c) => {
    const wantsAsync = asyncRequested(c);
    const input = parseJsonInput(await readBody(c.req.raw, limit));
    const { record, done } = start(c, input, "manual");
    if (wantsAsync) return accepted(c, record);
    const finished = await done;
    if (finished.result === undefined) {
      return c.json({ error: finished.error ?? "run failed", runId: finished.runId }, 500);
    }
    return c.json(finished.result, finished.status === "succeeded" ? 200 : 500);
  });

  for (const hook of options.webhooks ?? []) {
    app.post(hook.path, async (c) => {
      const body = await readBody(c.req.raw, limit);
      const problem = await hook.verifier?.verify(body, c.req.raw.headers);
      if (problem !== undefined) {
        c.get("log").warn("webhook signature rejected", { path: hook.path, reason: problem });
        throw new HTTPException(401, { message: problem });
      }
      return accepted(c, start(c, parseJsonInput(body), hook.label).record);
    });
  }

  app.get("/runs/:id", (c) => {
    const record = options.runs.get(c.req.param("id"));
    return record ? c.json(record) : notFound(c, c.req.param("id"));
  });

  app.post("/runs/:id/cancel", (c) => {
    const id = c.req.param("id");
    if (options.runs.cancel(id, `cancelled by request ${c.get("requestId")}`)) {
      c.get("log").info("run cancel requested", { runId: id });
      return c.json({ runId: id, status: "cancelling" }, 202);
    }
    const record = options.runs.get(id);
    if (!record) return notFound(c, id);
    throw new HTTPException(409, { message: `run "${id}" already finished (${record.status})` });
  });

  function notFound(c: C, id: string): Response {
    const { retain } = options.runs.limits;
    return c.json({
      error: `run "${id}" not found: unknown, or older than the ${retain} most recent ` +
        "finished runs the engine keeps",
    }, 404);
  }
}

function accepted(c: C, record: RunRecord): Response {
  const location = `/runs/${record.runId}`;
  return c.json({ runId: record.runId, status: record.status, location }, 202, {
    Location: location,
  });
}

function asyncRequested(c: C): boolean {
  const value = c.req.query("async");
  if (value === undefined) return /\brespond-async\b/.test(c.req.header("Prefer") ?? "");
  if (value === "" || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new HTTPException(400, {
    message: `query parameter "async" must be true or false, got "${value}"`,
  });
}
