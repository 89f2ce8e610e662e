/**
 * `checkConformance`: probes a running sidecar URL against the kit's HTTP contract (health,
 * JSON 404/405, malformed JSON, 415, traversal, oversize body, each job's schema errors) and
 * returns a structured report. Jobs are discovered from `/openapi.json`.
 * @module
 */
import { jobChecks, type Probe } from "./_conformance_jobs.ts";

/** What to send to one job besides the automatic probes. */
export interface JobProbe {
  /** A JSON input that must succeed (200). */
  valid?: unknown;
  /** A raw body for a body job that must succeed (200). */
  body?: string;
  /** Content type for `body` (default: the first accepted type). */
  contentType?: string;
}

/** Options of {@linkcode checkConformance}. */
export interface ConformanceOptions {
  /** Per-job extra probes. */
  jobs?: Record<string, JobProbe>;
  /** Health path (default `/health`). */
  healthPath?: string;
  /** Skip the oversize-body probe (e.g. huge limits). */
  skipOversize?: boolean;
  /** Fetch to use (default global `fetch`). */
  fetch?: typeof fetch;
}

/** One check. */
export interface ConformanceCheck {
  /** What was checked, e.g. `POST /convert with text/csv answers 415`. */
  name: string;
  /** Passed? */
  ok: boolean;
  /** What was seen when it failed (status, body excerpt). */
  detail: string;
}

/** The report. */
export interface ConformanceReport {
  /** True when every check passed. */
  ok: boolean;
  /** All checks in order. */
  checks: ConformanceCheck[];
  /** `N/M checks passed` plus one line per failure. */
  summary: string;
}

/**
 * Checks a running sidecar. Never throws for a failing sidecar: failures are in the report
 * (a network error becomes a failed check).
 *
 * @param baseUrl e.g. `http://127.0.0.1:9000`.
 * @param options Per-job probes, health path, fetch.
 * @returns The report.
 * @example
 * ```ts
 * import { defineSidecar, job } from "@tntc/sidecar-kit";
 * import { checkConformance, startTestSidecar } from "@tntc/sidecar-kit/testing";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   jobs: { add: job({ input: z.object({ a: z.number() }), run: ({ a }) => ({ a }) }) },
 * });
 * await using t = await startTestSidecar(sidecar, { listen: true });
 * const report = await checkConformance(t.url!);
 * if (!report.ok) throw new Error(report.summary);
 * ```
 */
export async function checkConformance(
  baseUrl: string,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const doFetch = options.fetch ?? fetch;
  const checks: ConformanceCheck[] = [];
  const base = baseUrl.replace(/\/+$/, "");
  const probe: Probe = async (name, path, init, expect, echoesId = true) => {
    const requestId = `conformance-${checks.length}`;
    try {
      const headers = new Headers(init.headers);
      if (echoesId) headers.set("x-request-id", requestId);
      const res = await doFetch(`${base}${path}`, { ...init, headers });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch { /* not JSON */ }
      const problems = expect(res, json);
      if (res.status >= 400) {
        const err = (json as { error?: unknown } | undefined)?.error;
        if (typeof err !== "string" || err === "") {
          problems.push("error body is not JSON { error: string }");
        }
      }
      if (echoesId && res.headers.get("x-request-id") !== requestId) {
        problems.push("X-Request-Id not echoed");
      }
      checks.push({
        name,
        ok: problems.length === 0,
        detail: problems.length
          ? `${problems.join("; ")} — got ${res.status} ${text.slice(0, 300)}`
          : "",
      });
      return json;
    } catch (e) {
      checks.push({
        name,
        ok: false,
        detail: `request failed: ${e instanceof Error ? e.message : e}`,
      });
      return undefined;
    }
  };
  const status = (want: number) => (res: Response) =>
    res.status === want ? [] : [`expected ${want}`];
  const healthPath = options.healthPath ?? "/health";
  // Health probes are neither logged nor given a request id: the probe sends none.
  await probe(`GET ${healthPath} answers 200 {status:"ok"}`, healthPath, {}, (res, json) => {
    const p = status(200)(res);
    if ((json as { status?: unknown } | undefined)?.status !== "ok") p.push(`status must be "ok"`);
    return p;
  }, false);
  // Every other response carries a request id, also to a client that sent none.
  const generated = await doFetch(`${base}/no-such-route-for-conformance`).then(async (res) => {
    await res.body?.cancel();
    return res.headers.get("x-request-id");
  }, () => null);
  checks.push({
    name: "a request without X-Request-Id gets a generated one",
    ok: !!generated,
    detail: generated ? "" : "no X-Request-Id in the response",
  });
  await probe(
    "an unknown route answers 404 JSON",
    "/no-such-route-for-conformance",
    {},
    status(404),
  );
  await probe(
    `POST ${healthPath} answers 405 JSON with Allow`,
    healthPath,
    { method: "POST" },
    (res) => {
      const p = status(405)(res);
      if (!res.headers.get("allow")) p.push("missing Allow header");
      return p;
    },
  );
  const doc = await probe(
    "GET /openapi.json describes the jobs",
    "/openapi.json",
    {},
    (res, json) => {
      const p = status(200)(res);
      if (typeof (json as { paths?: unknown } | undefined)?.paths !== "object") p.push("no paths");
      return p;
    },
  ) as OpenApiDoc | undefined;
  await probe("GET /metrics answers Prometheus text", "/metrics", {}, (res) => status(200)(res));
  if (doc) await jobChecks(doc, probe, { ...options, healthPath });
  const failed = checks.filter((c) => !c.ok);
  const summary = [
    `${checks.length - failed.length}/${checks.length} conformance checks passed`,
    ...failed.map((c) => `FAIL ${c.name}: ${c.detail}`),
  ].join("\n");
  return { ok: failed.length === 0 && checks.length > 0, checks, summary };
}

/** The parts of the OpenAPI document the job checks read. */
export interface OpenApiDoc {
  info?: { "x-limits"?: { body_limit?: number; body_limits?: Record<string, number> } };
  paths: Record<string, Record<string, unknown>>;
}
