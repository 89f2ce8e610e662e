/**
 * `GET /health` answered before Hono: the probe is the hottest route, so it skips routing and
 * middleware and reuses the JSON text for the current readiness. Same answers as the Hono route.
 * @module
 */
import type { Readiness, Runtime } from "./_runtime.ts";

/** Request ids accepted from `X-Request-Id` (others are replaced by a generated one). */
export const REQUEST_ID_RE = /^[\w.:@\/+=-]{1,200}$/;

/** The health answer for `rt`'s current state: status and JSON text. */
export function healthBody(rt: Runtime): { status: 200 | 503; text: string } {
  const r = rt.readiness;
  if (rt.shuttingDown) {
    return { status: 503, text: JSON.stringify({ error: "shutting down", status: "stopping" }) };
  }
  if (r.state === "starting") {
    const text = JSON.stringify({ error: "not ready: self-check running", status: "starting" });
    return { status: 503, text };
  }
  if (r.state === "failed") {
    const error = `not ready: self-check failed: ${r.reason}`;
    return { status: 503, text: JSON.stringify({ error, status: "failed" }) };
  }
  const { name, version } = rt.sidecar;
  return {
    status: 200,
    text: JSON.stringify({ status: "ok", sidecar: name, version, info: r.info }),
  };
}

/**
 * The full health response. A valid `X-Request-Id` is echoed; none is generated, because probes
 * are not logged and the header costs measurable throughput on the hottest route.
 */
export function healthResponse(rt: Runtime, given: string | null, head = false): Response {
  const { status, text } = cachedBody(rt);
  const headers: Record<string, string> = given !== null && REQUEST_ID_RE.test(given)
    ? { "content-type": "application/json", "x-request-id": given }
    : { "content-type": "application/json" };
  return new Response(head ? null : text, { status, headers });
}

/**
 * A `fetch` that answers `GET`/`HEAD <healthPath>` itself and passes everything else on.
 * @param rt The sidecar's runtime.
 * @param next The full app.
 */
export function withHealthFastPath(
  rt: Runtime,
  next: (req: Request) => Response | Promise<Response>,
): (req: Request) => Response | Promise<Response> {
  const path = rt.sidecar.healthPath;
  return (req) => {
    const method = req.method;
    if (method === "GET" || method === "HEAD") {
      const url = req.url;
      const start = url.indexOf("/", url.indexOf("//") + 2);
      const end = url.indexOf("?", start);
      if (start >= 0 && (end < 0 ? url.slice(start) : url.slice(start, end)) === path) {
        return healthResponse(rt, req.headers.get("x-request-id"), method === "HEAD");
      }
    }
    return next(req);
  };
}

const cache = new WeakMap<
  Runtime,
  { key: Readiness; stopping: boolean; body: ReturnType<typeof healthBody> }
>();

function cachedBody(rt: Runtime): ReturnType<typeof healthBody> {
  const hit = cache.get(rt);
  if (hit && hit.key === rt.readiness && hit.stopping === rt.shuttingDown) return hit.body;
  const body = healthBody(rt);
  cache.set(rt, { key: rt.readiness, stopping: rt.shuttingDown, body });
  return body;
}
