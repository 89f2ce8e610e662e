/**
 * `GET /health` answered before Hono: the probe is the hottest route, so it skips routing and
 * middleware and reuses the JSON text for the current readiness. Same answers as the Hono route.
 * @module
 */
import type { Readiness, Runtime } from "./_runtime.ts";

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
  return { status: 200, text: r.healthText };
}

/**
 * The full health response. Probes are not logged, so they get no request id either: an id names
 * a log line, and the probe has none. The request's headers are never read and `content-type` is
 * the only header, which keeps `Deno.serve` on its static-response path (any other response
 * header, or reading a request header, costs a quarter of the route's throughput in Deno 2.9).
 */
export function healthResponse(rt: Runtime, head = false): Response {
  const { status, text } = cachedBody(rt);
  if (!head) return new Response(text, { status, headers: JSON_TYPE });
  // HEAD: no body, but the length GET's body would have (RFC 9110 §9.3.2).
  const length = String(new TextEncoder().encode(text).byteLength);
  return new Response(null, { status, headers: { ...JSON_TYPE, "content-length": length } });
}

const JSON_TYPE = { "content-type": "application/json" } as const;

/**
 * A `fetch` that answers `GET`/`HEAD <healthPath>` itself and passes everything else on. It
 * compares the path in place (no URL object, no slices): this route is hit by every probe.
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
      const end = start + path.length;
      if (
        start >= 0 && url.startsWith(path, start) &&
        (url.length === end || url.charCodeAt(end) === 63) // "?"
      ) {
        return healthResponse(rt, method === "HEAD");
      }
    }
    return next(req);
  };
}

/** The last answer per runtime, reused while readiness and shutdown state are unchanged. */
const cache = new WeakMap<
  Runtime,
  { key: Readiness; stopping: boolean; body: ReturnType<typeof healthBody> }
>();

function cachedBody(rt: Runtime): ReturnType<typeof healthBody> {
  const hit = cache.get(rt);
  if (hit !== undefined && hit.key === rt.readiness && hit.stopping === rt.shuttingDown) {
    return hit.body;
  }
  const body = healthBody(rt);
  cache.set(rt, { key: rt.readiness, stopping: rt.shuttingDown, body });
  return body;
}
