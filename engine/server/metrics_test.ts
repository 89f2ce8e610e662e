import assert from "node:assert/strict";
import { EngineMetrics } from "./metrics.ts";
import type { RunRecord } from "./run_registry.ts";

function record(status: RunRecord["status"], nodeStatus: "ok" | "failed"): RunRecord {
  const node = { status: nodeStatus, attempts: 1, durationMs: 1 };
  return {
    runId: crypto.randomUUID(),
    trigger: "manual",
    status,
    startedAt: new Date(0).toISOString(),
    result: {
      runId: "r",
      success: status === "succeeded",
      outputs: {},
      errors: {},
      nodes: { a: node, b: node },
      timing: { startedAt: "", finishedAt: "", durationMs: 1 },
    },
  };
}

const value = (text: string, series: string) =>
  Number(text.split("\n").find((l) => l.startsWith(series + " "))?.split(" ")[1] ?? NaN);

Deno.test("run, node and request counters add up across scrapes, and a scrape never counts twice", async () => {
  const m = new EngineMetrics("w");
  const runs = 'tntc_runs_total{trigger="manual",status="succeeded",workflow="w"}';
  const nodes = 'tntc_node_results_total{node="a",status="ok",workflow="w"}';
  const http = 'tntc_http_requests_total{method="POST",route="/run",status="200",workflow="w"}';
  for (let i = 0; i < 3; i++) {
    m.runStarted();
    m.runFinished(record("succeeded", "ok"), 5);
    m.httpRequest("POST", "/run", 200);
  }
  m.runStarted();
  let text = await m.text();
  assert.equal(value(text, runs), 3);
  assert.equal(value(text, nodes), 3);
  assert.equal(value(text, http), 3);
  assert.equal(value(text, 'tntc_runs_in_flight{workflow="w"}'), 1);
  assert.equal(value(await m.text(), runs), 3, "a second scrape adds nothing");
  m.runFinished(record("failed", "failed"), 5);
  m.runStarted();
  m.runFinished(record("succeeded", "ok"), 5);
  text = await m.text();
  assert.equal(value(text, runs), 4);
  assert.equal(value(text, 'tntc_runs_total{trigger="manual",status="failed",workflow="w"}'), 1);
  assert.equal(value(text, 'tntc_node_results_total{node="b",status="failed",workflow="w"}'), 1);
  assert.equal(value(text, 'tntc_run_duration_seconds_count{workflow="w",trigger="manual"}'), 5);
  assert.equal(value(text, 'tntc_runs_in_flight{workflow="w"}'), 0);
});
