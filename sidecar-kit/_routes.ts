/**
 * Route table: health first (no middleware, no metrics), then request id + JSON request log,
 * `/metrics`, `/openapi.json`, `/jobs/:id`, one `POST /<job>` per job, JSON 405/404 and the one
 * `onError`.
 * @module
 */
import type { Hono } from "hono";
import { healthResponse } from "./_health.ts";
import { requestIdFor } from "./_request_id.ts";
import { errorResponse, mapError, SidecarHttpError } from "./errors.ts";
import { buildOpenApi } from "./openapi.ts";
import { handleBodyJob } from "./_body_route.ts";
import { handleJsonJob } from "./_json_route.ts";
import type { JobStore } from "./_job_store.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";

/** Registers every route of the sidecar on `app`. */
export function registerRoutes(
  app: Hono<SidecarEnv>,
  rt: Runtime,
  store: JobStore,
  registerAsync: (app: Hono<SidecarEnv>, store: JobStore) => void,
): void {
  const allowed = new Map<string, string>();
  // Health is registered first and answers without the middleware below: cheap, no side effects.
  app.get(rt.sidecar.healthPath, () => healthResponse(rt));
  allowed.set(rt.sidecar.healthPath, "GET, HEAD");
  app.use("*", async (c, next) => {
    const requestId = requestIdFor(c.req.header("x-request-id"));
    c.set("requestId", requestId);
    const t0 = performance.now();
    await next();
    c.res.headers.set("x-request-id", requestId);
    rt.log.info("request", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - t0) * 10) / 10,
    });
  });
  app.get("/metrics", async (c) => {
    return c.body(await rt.metrics.text(), 200, { "content-type": rt.metrics.contentType });
  });
  allowed.set("/metrics", "GET, HEAD");
  const openapi = JSON.stringify(buildOpenApi(rt.sidecar, rt.config));
  app.get("/openapi.json", (c) => c.body(openapi, 200, { "content-type": "application/json" }));
  allowed.set("/openapi.json", "GET, HEAD");
  registerAsync(app, store);
  allowed.set("/jobs/:id", "GET, HEAD, DELETE");
  allowed.set("/jobs/:id/events", "GET, HEAD");
  for (const [name, def] of Object.entries(rt.sidecar.jobs)) {
    app.post(
      `/${name}`,
      (c) =>
        def.kind === "json"
          ? handleJsonJob(c, rt, store, name, def)
          : handleBodyJob(c, rt, name, def),
    );
    allowed.set(`/${name}`, "POST");
  }
  for (const [path, allow] of allowed) {
    app.all(path, (c) => {
      throw new SidecarHttpError(
        405,
        `method ${c.req.method} not allowed on ${c.req.path}: use ${allow}`,
        {
          allow: allow.split(", "),
        },
        { headers: { allow } },
      );
    });
  }
  app.notFound((c) => {
    const err = new SidecarHttpError(404, `no route for ${c.req.method} ${c.req.path}`, {
      routes: [...allowed.keys()].sort(),
    });
    return errorResponse(err, c.get("requestId"));
  });
  app.onError((err, c) => {
    const m = mapError(err);
    if (m.unexpected) rt.log.error("unexpected error", { path: c.req.path, error: err });
    return errorResponse(err, c.get("requestId"));
  });
}
