/**
 * The issue's `/health` shape, `{ "status": "ok", "ffmpeg": "<path>", "version": "..." }`, on top
 * of the kit's `{ status, sidecar, version, info }`.
 * @module
 */

/** A fetch handler, e.g. a Hono app's `fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Wraps a sidecar's fetch handler so a successful health answer puts the self-check's findings
 * at the top level: `status`, `ffmpeg` (path), `version` (ffmpeg's), `ffprobe`, `sources`,
 * `sidecar` and `sidecar_version`. Every other response (and a 503 health) passes unchanged.
 *
 * @param fetch The kit app's `fetch`.
 * @param healthPath The health route (default `/health`).
 * @returns The wrapped handler.
 * @example
 * ```ts
 * import { withFfmpegHealth } from "./health.ts";
 * const kit = () =>
 *   Response.json({
 *     status: "ok", sidecar: "ffmpeg", version: "0.1.0",
 *     info: { ffmpeg: "/usr/bin/ffmpeg", version: "5.1", ffprobe: "/usr/bin/ffprobe" },
 *   });
 * const body = await (await withFfmpegHealth(kit)(new Request("http://x/health"))).json();
 * if (body.ffmpeg !== "/usr/bin/ffmpeg" || body.version !== "5.1") throw new Error();
 * ```
 */
export function withFfmpegHealth(
  fetch: FetchHandler,
  healthPath = "/health",
): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await fetch(request);
    if (response.status !== 200 || request.method !== "GET") return response;
    if (new URL(request.url).pathname !== healthPath) return response;
    const kit = await response.json() as {
      status: string;
      sidecar: string;
      version: string;
      info?: Record<string, unknown>;
    };
    const info = kit.info ?? {};
    const body = {
      status: kit.status,
      ffmpeg: info.ffmpeg,
      version: info.version,
      ffprobe: info.ffprobe,
      sources: info.sources,
      sidecar: kit.sidecar,
      sidecar_version: kit.version,
    };
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify(body), { status: 200, headers });
  };
}
