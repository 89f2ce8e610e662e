import { type Context, Hono } from "hono";
import { routePath } from "hono/route";
import type { Sidecar } from "../spec/schema.ts";
import type { WebhookRoute } from "../triggers/webhook.ts";
import type { EngineLogger } from "./log.ts";
import type { EngineMetrics } from "./metrics.ts";
import type { ReadinessReport } from "./readiness.ts";
import type { RunRegistry } from "./run_registry.ts";
import { probeRoutes } from "./_probe_routes.ts";
import { closeScope, errorAnswer, openScope } from "./_request_scope.ts";
import { isRunPath, postRunHandler } from "./_run_post.ts";
import { runRoutes } from "./_run_routes.ts";

/** Hono variables set per request. */
export interface EngineEnv {
  /** Values handlers read with `c.get()`. */
  Variables: {
    /** From `X-Request-Id` (when 1-128 safe characters) or a new UUID. */
    requestId: string;
    /** The engine logger with `requestId` on every line. */
    log: EngineLogger;
  };
}

/** The engine's HTTP app: a Hono app, seen through the two calls callers need. */
export interface EngineApp {
  /** Handles a request (pass to `Deno.serve`). */
  fetch(request: Request): Response | Promise<Response>;
  /** Handles a request built from a path or URL, in-process (tests). */
  request(input: string | Request | URL, init?: RequestInit): Response | Promise<Response>;
}

/** Everything the engine's HTTP app needs; all injectable, no globals. */
export interface EngineAppOptions {
  /** Starts, tracks and cancels runs. */
  runs: RunRegistry;
  /** Counters and histograms served by `/metrics`. */
  metrics: EngineMetrics;
  /** Engine log lines. */
  log: EngineLogger;
  /** The workflow's sidecars (for `/ready`). */
  sidecars: readonly Sidecar[];
  /** Checks every sidecar once (usually {@linkcode probeSidecars}). */
  probe: () => Promise<ReadinessReport>;
  /** Why runs are refused with 503 before the run registry is asked (e.g. still starting). */
  refusal?: () => string | undefined;
  /** Webhook triggers to serve. */
  webhooks?: readonly WebhookRoute[];
  /** Largest accepted request body in bytes (default 1 MiB); larger gets 413. */
  maxBodyBytes?: number;
  /** `Retry-After` seconds on 429 and 503 answers (default 1). */
  retryAfterSeconds?: number;
}

/**
 * Builds the engine's HTTP app: `POST /run`, `GET /health`, `GET /ready`, `GET /runs/:id`,
 * `POST /runs/:id/cancel`, `GET /metrics` and one `POST` route per webhook trigger. Every
 * response carries `X-Request-Id`; every error is `{ "error": "..." }` from one `onError`.
 *
 * @param options Run registry, metrics, logger, sidecar probe, webhooks and limits.
 * @returns The app (serve it with `Deno.serve(app.fetch)`, test it with `app.request`).
 * @example
 * ```ts
 * import { createEngineApp, createEngineLogger, EngineMetrics, RunRegistry } from "./mod.ts";
 * const runner = { run: () => new Promise<never>(() => {}), close: () => Promise.resolve() };
 * const app = createEngineApp({
 *   runs: new RunRegistry({ runner, maxConcurrent: 1, retain: 1 }),
 *   metrics: new EngineMetrics("demo"),
 *   log: createEngineLogger({ write: () => {} }),
 *   sidecars: [],
 *   probe: () => Promise.resolve({ ready: true, sidecars: {} }),
 * });
 * const res = await app.request("/run", { method: "POST", body: "{oops" });
 * console.assert(res.status === 400 && res.headers.has("X-Request-Id"));
 * ```
 */
export function createEngineApp(options: EngineAppOptions): EngineApp {
  const app = new Hono<EngineEnv>();
  app.use(async (c, next) => {
    // One middleware for the request id, its logger and the request metric (each middleware
    // layer costs a few µs per request). The id header is set before the response is built
    // (mutating a built response's headers makes Deno.serve rebuild it).
    const scope = openScope(options.log, c.req.header("X-Request-Id"));
    c.set("requestId", scope.id);
    c.set("log", scope.log);
    c.header("X-Request-Id", scope.id);
    await next();
    const req = { method: c.req.method, route: routeLabel(c), path: c.req.path };
    closeScope(scope, options.metrics, req, c.res.status);
  });
  probeRoutes(app, options);
  runRoutes(app, options);
  // 405 for a known path with another method: registered last, so these only run when no
  // route of the right method answered (cheaper than a middleware on every request).
  const methodNotAllowed = (path: string, allowed: string) =>
    app.all(path, (c) =>
      c.json(
        { error: `${c.req.method} is not allowed on ${c.req.path}; use ${allowed}` },
        405,
        { Allow: allowed },
      ));
  for (const path of ["/health", "/ready", "/metrics", "/runs/:id"]) {
    methodNotAllowed(path, "GET, HEAD");
  }
  for (const path of ["/run", "/runs/:id/cancel", ...(options.webhooks ?? []).map((w) => w.path)]) {
    methodNotAllowed(path, "POST");
  }
  app.notFound((c) =>
    c.json({
      error: `no route for ${c.req.method} ${c.req.path}; the engine serves POST /run, ` +
        "GET /health, GET /ready, GET /runs/:id, POST /runs/:id/cancel, GET /metrics" +
        (options.webhooks?.length ? ` and ${options.webhooks.map((w) => `POST ${w.path}`)}` : ""),
    }, 404)
  );
  app.onError((err, c) => {
    const scope = { id: c.get("requestId"), log: c.get("log") ?? options.log };
    const { status, body, headers } = errorAnswer(err, scope, c.req.path);
    return c.json(body, status, headers);
  });
  // POST /run, the route of every run, is answered before Hono (see `_run_post.ts`).
  const postRun = postRunHandler(options);
  const fetch = (req: Request) =>
    req.method === "POST" && isRunPath(req.url) ? postRun(req) : app.fetch(req);
  return {
    fetch,
    request: (input, init) =>
      fetch(
        input instanceof Request ? input : new Request(new URL(input, "http://localhost"), init),
      ),
  };
}

function routeLabel(c: Context<EngineEnv>): string {
  if (c.res.status === 404 && c.req.routeIndex === 0) return "unmatched";
  try {
    return routePath(c, -1);
  } catch {
    return "unmatched";
  }
}
