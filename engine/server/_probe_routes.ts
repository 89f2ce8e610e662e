import type { Hono } from "hono";
import type { EngineAppOptions, EngineEnv } from "./app.ts";

/**
 * Adds `GET /health` (liveness: 200 while the process serves, also while draining),
 * `GET /ready` (200 only when every sidecar answers and the engine accepts runs; JSON detail
 * per sidecar) and `GET /metrics` (Prometheus text).
 */
export function probeRoutes(app: Hono<EngineEnv>, options: EngineAppOptions): void {
  app.get("/health", (c) => c.json({ status: "ok" }));

  app.get("/ready", async (c) => {
    const report = await options.probe();
    for (const [name, health] of Object.entries(report.sidecars)) {
      options.metrics.sidecarReady(name, health.ready);
    }
    const refused = options.runs.closedReason ?? options.refusal?.();
    const ready = report.ready && refused === undefined;
    const body = {
      ready,
      ...(refused === undefined ? {} : { reason: refused }),
      ...(report.ready || refused !== undefined ? {} : { reason: notReady(report.sidecars) }),
      sidecars: report.sidecars,
    };
    return c.json(body, ready ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const text = await options.metrics.text();
    return c.body(text, 200, { "Content-Type": options.metrics.contentType });
  });
}

function notReady(sidecars: Record<string, { ready: boolean; error?: string }>): string {
  const missing = Object.entries(sidecars).filter(([, h]) => !h.ready)
    .map(([name, h]) => `${name} (${h.error ?? "not ready"})`);
  return `waiting for sidecar${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}`;
}
