import type { Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { EngineAppOptions, EngineEnv } from "./app.ts";
import { DEFAULT_MAX_BODY_BYTES, parseJsonInput, readBody } from "./read_body.ts";
import type { RunRecord, StartedRun } from "./run_registry.ts";
import { acceptedBody, startRun } from "./_run_post.ts";

type C = Context<EngineEnv>;

/**
 * Adds the run routes besides `POST /run` (answered before Hono, see `_run_post.ts`):
 * `GET /runs/:id`, `POST /runs/:id/cancel`, and `POST <path>` per webhook trigger (signature
 * checked first; always 202).
 */
export function runRoutes(app: Hono<EngineEnv>, options: EngineAppOptions): void {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const start = (c: C, input: unknown, trigger: string): StartedRun => {
    const scope = { id: c.get("requestId"), log: c.get("log") };
    const started = startRun(options, input, trigger, scope);
    c.header("X-Run-Id", started.record.runId);
    return started;
  };

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
  const { body, location } = acceptedBody(record);
  return c.json(body, 202, { Location: location });
}
