import type { Sidecar } from "../spec/schema.ts";

/** The last health check of one sidecar. */
export interface SidecarHealth {
  /** True when the sidecar answered its health check. */
  ready: boolean;
  /** What was checked: `http://localhost:PORT/healthPath`, or `tcp://localhost:PORT` for gRPC. */
  url: string;
  /** The HTTP status, when one came back. */
  status?: number;
  /** Why it is not ready. */
  error?: string;
  /** How long the check took. */
  latencyMs: number;
}

/** What `GET /ready` reports. */
export interface ReadinessReport {
  /** True when every declared sidecar is ready (and trivially with none). */
  ready: boolean;
  /** The last check of each sidecar, by name. */
  sidecars: Record<string, SidecarHealth>;
}

/** How sidecars are checked; injectable for tests. */
export interface ProbeOptions {
  /** HTTP client (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Opens and closes a TCP connection, for gRPC sidecars (default `Deno.connect`). */
  connect?: (hostname: string, port: number) => Promise<void>;
  /** Per-check timeout in ms (default 1000). */
  timeoutMs?: number;
  /** Host the sidecars listen on (default `localhost`: the pod's shared network namespace). */
  hostname?: string;
}

/**
 * Checks every sidecar once, in parallel: an HTTP sidecar is ready when `GET healthPath`
 * answers 200; a gRPC sidecar when its port accepts a TCP connection.
 *
 * @param sidecars The declared sidecars.
 * @param options Clients, timeout and host.
 * @returns One entry per sidecar and the overall verdict.
 * @example
 * ```ts
 * import { probeSidecars } from "./readiness.ts";
 * const fetch = () => Promise.resolve(new Response("ok"));
 * const report = await probeSidecars(
 *   [{ name: "ffmpeg", image: "x", port: 9000, protocol: "http", healthPath: "/health" }],
 *   { fetch },
 * );
 * console.assert(report.ready && report.sidecars.ffmpeg?.url === "http://localhost:9000/health");
 * ```
 */
export async function probeSidecars(
  sidecars: readonly Sidecar[],
  options: ProbeOptions = {},
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    sidecars.map(async (s) => [s.name, await probeOne(s, options)] as const),
  );
  return { ready: entries.every(([, h]) => h.ready), sidecars: Object.fromEntries(entries) };
}

async function probeOne(sidecar: Sidecar, options: ProbeOptions): Promise<SidecarHealth> {
  const host = options.hostname ?? "localhost";
  const timeoutMs = options.timeoutMs ?? 1000;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const grpc = sidecar.protocol === "grpc";
  const url = grpc
    ? `tcp://${host}:${sidecar.port}`
    : `http://${host}:${sidecar.port}${sidecar.healthPath}`;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    if (grpc) {
      await withSignal((options.connect ?? tcpConnect)(host, sidecar.port), signal);
      return { ready: true, url, latencyMs: elapsed() };
    }
    const res = await (options.fetch ?? fetch)(url, { signal });
    await res.body?.cancel();
    const health: SidecarHealth = {
      ready: res.status === 200,
      url,
      status: res.status,
      latencyMs: 0,
    };
    if (!health.ready) health.error = `${sidecar.healthPath} answered ${res.status}, expected 200`;
    return { ...health, latencyMs: elapsed() };
  } catch (err) {
    const error = signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : (err as Error).message?.replace(/^error sending request for url \([^)]*\): /, "") ??
        String(err);
    return { ready: false, url, error, latencyMs: elapsed() };
  }
}

async function tcpConnect(hostname: string, port: number): Promise<void> {
  const conn = await Deno.connect({ hostname, port });
  conn.close();
}

function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
