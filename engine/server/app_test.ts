import assert from "node:assert/strict";
import { signBody } from "../triggers/signature.ts";
import { prepareWebhooks } from "../triggers/webhook.ts";
import type { Sidecar } from "../spec/schema.ts";
import { FakeRunner } from "./_fake_runner.ts";
import { createEngineApp, type EngineAppOptions } from "./app.ts";
import { isRunPath } from "./_run_post.ts";
import { createEngineLogger } from "./log.ts";
import { EngineMetrics } from "./metrics.ts";
import type { ReadinessReport } from "./readiness.ts";
import { RunRegistry } from "./run_registry.ts";

const ffmpeg: Sidecar = {
  name: "ffmpeg",
  image: "x",
  port: 9000,
  protocol: "http",
  healthPath: "/health",
};

async function setup(overrides: Partial<EngineAppOptions> & { maxConcurrent?: number } = {}) {
  const runner = new FakeRunner();
  const lines: Record<string, unknown>[] = [];
  const log = createEngineLogger({ level: "debug", write: (l) => lines.push(JSON.parse(l)) });
  const metrics = new EngineMetrics("demo");
  const runs = new RunRegistry({
    runner,
    maxConcurrent: overrides.maxConcurrent ?? 4,
    retain: 2,
    onStart: () => metrics.runStarted(),
    onFinish: (r, ms) => metrics.runFinished(r, ms),
  });
  const webhooks = await prepareWebhooks([
    { type: "webhook", path: "/hooks/open" },
    { type: "webhook", path: "/hooks/signed", secret: "hooks.key" },
  ], { hooks: { key: "s3cret" } });
  const app = createEngineApp({
    runs,
    metrics,
    log,
    sidecars: [],
    probe: () => Promise.resolve({ ready: true, sidecars: {} }),
    webhooks,
    maxBodyBytes: 64,
    ...overrides,
  });
  return { app, runner, runs, lines, metrics };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(check(), "condition not reached");
}

Deno.test("POST /run waits for the run and answers 200 with its RunResult", async () => {
  const { app, runner } = await setup();
  runner.autoRelease = true;
  const res = await app.request("/run", { method: "POST", body: '{"name":"world"}' });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.success, true);
  assert.deepEqual(body.outputs.echo, { name: "world" });
  assert.equal(res.headers.get("X-Run-Id"), body.runId);
  assert.deepEqual(runner.calls[0]?.input, { name: "world" });
});

Deno.test("POST /run answers 500 with the RunResult when a node fails", async () => {
  const { app, runner } = await setup();
  runner.autoRelease = true;
  const res = await app.request("/run", { method: "POST", body: '{"fail":true}' });
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.equal(body.success, false);
  assert.equal(body.errors.echo, "asked to fail");
});

Deno.test("POST /run with an empty body runs with {} as input", async () => {
  const { app, runner } = await setup();
  runner.autoRelease = true;
  const res = await app.request("/run", { method: "POST" });
  assert.equal(res.status, 200);
  assert.deepEqual(runner.calls[0]?.input, {});
});

Deno.test("POST /run rejects invalid JSON with 400 and the parser's reason, starting no run", async () => {
  const { app, runner } = await setup();
  const res = await app.request("/run", { method: "POST", body: '{"a":' });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.match(body.error, /^request body is not valid JSON: .+/);
  assert.equal(runner.calls.length, 0);
});

Deno.test("POST /run rejects a body that is not UTF-8 with 400", async () => {
  const { app } = await setup();
  const res = await app.request("/run", { method: "POST", body: new Uint8Array([0xff, 0xfe]) });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, "request body is not valid UTF-8");
});

Deno.test("POST /run refuses a body over the limit with 413, by Content-Length or streamed", async () => {
  const { app, runner } = await setup();
  const big = JSON.stringify({ text: "x".repeat(100) });
  const res = await app.request("/run", { method: "POST", body: big });
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error, "request body is larger than the limit of 64 bytes");
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("[1,2,3,4,5,6,7,8,9]"));
      c.close();
    },
  });
  const streamed = await app.request("/run", { method: "POST", body: stream });
  assert.equal(streamed.status, 413);
  assert.equal(runner.calls.length, 0);
});

Deno.test("POST /run?async=true answers 202 with the run's location at once", async () => {
  const { app, runner } = await setup();
  const res = await app.request("/run?async=true", { method: "POST", body: "{}" });
  assert.equal(res.status, 202);
  const body = await res.json();
  assert.equal(body.status, "running");
  assert.equal(res.headers.get("Location"), `/runs/${body.runId}`);
  assert.deepEqual(runner.waiting, [body.runId]);
  const bad = await app.request("/run?async=maybe", { method: "POST", body: "{}" });
  assert.equal(bad.status, 400);
  assert.equal(
    (await bad.json()).error,
    'query parameter "async" must be true or false, got "maybe"',
  );
});

Deno.test("Prefer: respond-async also makes POST /run answer 202", async () => {
  const { app } = await setup();
  const res = await app.request("/run", {
    method: "POST",
    body: "{}",
    headers: { Prefer: "respond-async" },
  });
  assert.equal(res.status, 202);
});

Deno.test("the concurrent-run limit answers 429 with Retry-After", async () => {
  const { app, runner, metrics } = await setup({ maxConcurrent: 1 });
  const first = await app.request("/run?async", { method: "POST", body: "{}" });
  assert.equal(first.status, 202);
  const second = await app.request("/run", { method: "POST", body: "{}" });
  assert.equal(second.status, 429);
  assert.equal(second.headers.get("Retry-After"), "1");
  assert.ok(second.headers.get("X-Request-Id"));
  assert.equal(
    (await second.json()).error,
    "too many concurrent runs: the limit is 1; retry later",
  );
  assert.equal(runner.calls.length, 1);
  assert.match(
    await metrics.text(),
    /tntc_runs_rejected_total\{reason="limit",workflow="demo"\} 1/,
  );
});

Deno.test("runs are refused with 503 and Retry-After while the engine is not accepting", async () => {
  const { app, runner } = await setup({
    refusal: () => "engine is starting: waiting for sidecars",
  });
  const res = await app.request("/run", { method: "POST", body: "{}" });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("Retry-After"), "1");
  assert.equal((await res.json()).error, "engine is starting: waiting for sidecars");
  assert.equal(runner.calls.length, 0);
});

Deno.test("after the registry closes, POST /run answers 503 and /ready says why", async () => {
  const { app, runs } = await setup();
  runs.close("engine is shutting down");
  const res = await app.request("/run", { method: "POST", body: "{}" });
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error, "engine is shutting down");
  const ready = await app.request("/ready");
  assert.equal(ready.status, 503);
  assert.equal((await ready.json()).reason, "engine is shutting down");
  assert.equal((await app.request("/health")).status, 200);
});

Deno.test("GET /runs/:id shows a running run, then its result; unknown ids get 404", async () => {
  const { app, runner } = await setup();
  const { runId } = await (await app.request("/run?async", { method: "POST", body: "{}" })).json();
  const running = await (await app.request(`/runs/${runId}`)).json();
  assert.equal(running.status, "running");
  assert.equal(running.trigger, "manual");
  runner.release(runId);
  await until(() => runner.waiting.length === 0);
  await new Promise((r) => setTimeout(r, 0));
  const done = await (await app.request(`/runs/${runId}`)).json();
  assert.equal(done.status, "succeeded");
  assert.equal(done.result.runId, runId);
  const missing = await app.request("/runs/nope");
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /^run "nope" not found: .*2 most recent/);
});

Deno.test("GET /runs/:id forgets the oldest finished runs beyond the retention bound", async () => {
  const { app, runner } = await setup();
  runner.autoRelease = true;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await (await app.request("/run", { method: "POST", body: "{}" })).json()).runId);
  }
  assert.equal((await app.request(`/runs/${ids[0]}`)).status, 404);
  assert.equal((await app.request(`/runs/${ids[1]}`)).status, 200);
  assert.equal((await app.request(`/runs/${ids[2]}`)).status, 200);
});

Deno.test("POST /runs/:id/cancel cancels a running run; a finished one gets 409", async () => {
  const { app } = await setup();
  const res = await app.request("/run?async", { method: "POST", body: "{}" });
  const { runId } = await res.json();
  const cancel = await app.request(`/runs/${runId}/cancel`, { method: "POST" });
  assert.equal(cancel.status, 202);
  assert.deepEqual(await cancel.json(), { runId, status: "cancelling" });
  await new Promise((r) => setTimeout(r, 0));
  const record = await (await app.request(`/runs/${runId}`)).json();
  assert.equal(record.status, "cancelled");
  assert.match(record.result.errors.echo, /^cancelled by request /);
  const again = await app.request(`/runs/${runId}/cancel`, { method: "POST" });
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error, `run "${runId}" already finished (cancelled)`);
  assert.equal((await app.request("/runs/x/cancel", { method: "POST" })).status, 404);
});

Deno.test("GET /health answers 200 with status ok", async () => {
  const { app } = await setup();
  const res = await app.request("/health");
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
});

Deno.test("GET /ready is 503 with per-sidecar detail until every sidecar answers", async () => {
  let report: ReadinessReport = {
    ready: false,
    sidecars: {
      ffmpeg: { ready: false, url: "http://localhost:9000/health", error: "refused", latencyMs: 1 },
    },
  };
  const { app, metrics } = await setup({
    sidecars: [ffmpeg],
    probe: () => Promise.resolve(report),
  });
  const down = await app.request("/ready");
  assert.equal(down.status, 503);
  const body = await down.json();
  assert.equal(body.ready, false);
  assert.equal(body.reason, "waiting for sidecar: ffmpeg (refused)");
  assert.equal(body.sidecars.ffmpeg.url, "http://localhost:9000/health");
  assert.match(await metrics.text(), /tntc_sidecar_ready\{sidecar="ffmpeg",workflow="demo"\} 0/);
  report = {
    ready: true,
    sidecars: { ffmpeg: { ready: true, url: "u", status: 200, latencyMs: 1 } },
  };
  const up = await app.request("/ready");
  assert.equal(up.status, 200);
  assert.equal((await up.json()).sidecars.ffmpeg.status, 200);
});

Deno.test("GET /metrics serves Prometheus text with run and request counters", async () => {
  const { app, runner } = await setup();
  runner.autoRelease = true;
  await app.request("/run", { method: "POST", body: "{}" });
  await app.request("/run", { method: "POST", body: '{"fail":true}' });
  const res = await app.request("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("Content-Type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /tntc_runs_total\{trigger="manual",status="succeeded",workflow="demo"\} 1/);
  assert.match(text, /tntc_runs_total\{trigger="manual",status="failed",workflow="demo"\} 1/);
  assert.match(text, /tntc_node_results_total\{node="echo",status="failed",workflow="demo"\} 1/);
  assert.match(
    text,
    /tntc_http_requests_total\{method="POST",route="\/run",status="200",workflow="demo"\} 1/,
  );
  assert.match(text, /tntc_runs_in_flight\{workflow="demo"\} 0/);
  assert.match(text, /process_resident_memory_bytes\{workflow="demo"\} [1-9]\d+/);
});

Deno.test("every response carries a request id: the caller's, or a generated UUID", async () => {
  const { app, lines } = await setup();
  const mine = await app.request("/health", { headers: { "X-Request-Id": "abc-123" } });
  assert.equal(mine.headers.get("X-Request-Id"), "abc-123");
  const generated = await app.request("/nowhere");
  assert.match(generated.headers.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);
  const unsafe = await app.request("/health", { headers: { "X-Request-Id": "a b<script>" } });
  assert.match(unsafe.headers.get("X-Request-Id") ?? "", /^[0-9a-f-]{36}$/);
  assert.ok(lines.some((l) => l.requestId === "abc-123" && l.msg === "request"));
});

Deno.test("the request id is on the log lines of the run it started", async () => {
  const { app, runner, lines } = await setup({ maxConcurrent: 1 });
  await app.request("/run?async", { method: "POST", body: "{}" });
  await app.request("/run", { method: "POST", body: "{}", headers: { "X-Request-Id": "req-7" } });
  assert.ok(lines.some((l) => l.requestId === "req-7" && l.msg === "run refused"));
  assert.equal(runner.calls.length, 1);
});

Deno.test("unknown routes get 404 and wrong methods 405, both as { error }", async () => {
  const { app } = await setup();
  const missing = await app.request("/nope");
  assert.equal(missing.status, 404);
  assert.match(
    (await missing.json()).error,
    /^no route for GET \/nope; the engine serves POST \/run/,
  );
  const wrong = await app.request("/run");
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("Allow"), "POST");
  assert.equal((await wrong.json()).error, "GET is not allowed on /run; use POST");
  const put = await app.request("/runs/abc", { method: "PUT" });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("Allow"), "GET, HEAD");
  const hook = await app.request("/hooks/open");
  assert.equal(hook.status, 405);
  assert.equal(hook.headers.get("Allow"), "POST");
});

Deno.test("an unexpected error answers 500 { error } naming the request and logs the stack", async () => {
  const { app, lines } = await setup({
    probe: () => Promise.reject(new Error("probe exploded")),
  });
  const res = await app.request("/ready", { headers: { "X-Request-Id": "r-500" } });
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: "internal error (request r-500)" });
  const line = lines.find((l) => l.msg === "unexpected error");
  assert.equal(line?.requestId, "r-500");
  assert.match((line?.error as { stack: string }).stack, /probe exploded/);
});

Deno.test("a webhook without a secret starts a run with its JSON body and answers 202", async () => {
  const { app, runner } = await setup();
  const res = await app.request("/hooks/open", { method: "POST", body: '{"event":"push"}' });
  assert.equal(res.status, 202);
  const { runId } = await res.json();
  assert.deepEqual(runner.calls[0]?.input, { event: "push" });
  const record = await (await app.request(`/runs/${runId}`)).json();
  assert.equal(record.trigger, "webhook:/hooks/open");
});

Deno.test("a signed webhook accepts a correct X-Signature-256 and rejects others with 401", async () => {
  const { app, runner } = await setup();
  const body = '{"event":"push"}';
  const good = await app.request("/hooks/signed", {
    method: "POST",
    body,
    headers: { "X-Signature-256": await signBody("s3cret", body) },
  });
  assert.equal(good.status, 202);
  const wrong = await app.request("/hooks/signed", {
    method: "POST",
    body,
    headers: { "X-Signature-256": await signBody("guess", body) },
  });
  assert.equal(wrong.status, 401);
  assert.equal((await wrong.json()).error, "X-Signature-256 does not match the request body");
  const missing = await app.request("/hooks/signed", { method: "POST", body });
  assert.equal(missing.status, 401);
  assert.match((await missing.json()).error, /^missing X-Signature-256 header/);
  const tampered = await app.request("/hooks/signed", {
    method: "POST",
    body: '{"event":"push!"}',
    headers: { "X-Signature-256": await signBody("s3cret", body) },
  });
  assert.equal(tampered.status, 401);
  assert.equal(runner.calls.length, 1);
});

Deno.test("a signed webhook checks the signature before parsing, and then rejects bad JSON", async () => {
  const { app, runner } = await setup();
  const body = "not json";
  const res = await app.request("/hooks/signed", {
    method: "POST",
    body,
    headers: { "X-Hub-Signature-256": await signBody("s3cret", body) },
  });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /^request body is not valid JSON/);
  assert.equal(runner.calls.length, 0);
});

Deno.test("every route and every error answer carries the request id, given or generated", async () => {
  const { app, runner } = await setup({ maxConcurrent: 1 });
  runner.autoRelease = false;
  const pending = app.request("/run", { method: "POST", body: "{}" }); // holds the one slot
  await new Promise((r) => setTimeout(r, 5));
  const cases: [string, RequestInit, number][] = [
    ["/health", {}, 200],
    ["/ready", {}, 200],
    ["/metrics", {}, 200],
    ["/runs/nope", {}, 404],
    ["/runs/nope/cancel", { method: "POST" }, 404],
    ["/nowhere", {}, 404],
    ["/health", { method: "POST" }, 405],
    ["/run", { method: "POST", body: "{oops" }, 400],
    ["/run", { method: "POST", body: "x".repeat(100) }, 413],
    ["/run", { method: "POST", body: "{}" }, 429],
    ["/hooks/signed", { method: "POST", body: "{}" }, 401],
  ];
  for (const [i, [path, init, status]] of cases.entries()) {
    for (const given of [`case-${i}`, undefined]) {
      const headers = given ? { "X-Request-Id": given } : undefined;
      const res = await app.request(path, { ...init, headers });
      assert.equal(res.status, status, `${init.method ?? "GET"} ${path}`);
      const id = res.headers.get("X-Request-Id") ?? "";
      if (given) assert.equal(id, given, `${path} echoes the id`);
      else assert.match(id, /^[0-9a-f-]{36}$/, `${path} generates an id`);
      await res.body?.cancel();
    }
  }
  for (const id of runner.waiting) runner.release(id);
  await (await pending).body?.cancel();
});

Deno.test("isRunPath matches /run with or without a query, and nothing else", () => {
  for (const url of ["http://h/run", "http://h:8080/run?async=true", "https://h/run?"]) {
    assert.ok(isRunPath(url), url);
  }
  for (
    const url of [
      "http://h/runs/1",
      "http://h/running",
      "http://h/run/",
      "http://h/",
      "http://h/x/run",
    ]
  ) {
    assert.ok(!isRunPath(url), url);
  }
});

Deno.test("other methods on /run still get Hono's JSON 405 with Allow", async () => {
  const { app } = await setup();
  const res = await app.request("/run");
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("Allow"), "POST");
  assert.match((await res.json()).error, /GET is not allowed on \/run/);
});
