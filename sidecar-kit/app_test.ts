import assert from "node:assert/strict";
import { z } from "zod";
import { createSidecarApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { defineSidecar, job } from "./define.ts";
import { createLogger } from "./log.ts";
import { SharedPaths } from "./shared_paths.ts";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

Deno.test("GET /health answers 200 with the self-check info once ready", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/health");
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    status: "ok",
    sidecar: "demo",
    version: "1.2.3",
    info: { sh: "ok" },
  });
});

Deno.test("GET /health answers 503 while the self-check runs and when it fails", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const sidecar = defineSidecar({
    name: "slow",
    check: async () => {
      await gate;
      throw new Error("ffmpeg: not found");
    },
    jobs: { noop: job({ input: z.object({}), run: () => ({}) }) },
  });
  const s = createSidecarApp(sidecar, {
    paths: new SharedPaths("/tmp"),
    config: loadConfig({}),
    logger: createLogger({ write: () => {} }),
  });
  const starting = await s.app.request("/health");
  assert.equal(starting.status, 503);
  assert.equal((await starting.json()).error, "not ready: self-check running");
  const early = await s.app.request("/noop", json({}));
  assert.equal(early.status, 503);
  release();
  await s.ready;
  const failed = await s.app.request("/health");
  assert.equal(failed.status, 503);
  assert.equal((await failed.json()).error, "not ready: self-check failed: ffmpeg: not found");
  await s.close();
});

Deno.test("POST /<job> returns the job JSON plus duration_ms", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("add", { a: 2, b: 3 });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.sum, 5);
  assert.equal(typeof body.duration_ms, "number");
});

Deno.test("invalid input answers 400 naming every field and rule", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("add", { a: "two", b: -1 });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(
    body.error,
    "invalid input: a: Invalid input: expected number, received string; b: Too small: expected number to be >0",
  );
  assert.deepEqual(body.issues.map((i: { path: string }) => i.path), ["a", "b"]);
});

Deno.test("malformed JSON answers 400, a wrong content type 415", async () => {
  await using t = await startTestSidecar(demo);
  const bad = await t.request("/add", json("{not json"));
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^malformed JSON body: /);
  const wrongType = await t.request("/add", {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "{}",
  });
  assert.equal(wrongType.status, 415);
  assert.equal(
    (await wrongType.json()).error,
    `unsupported content type "text/plain": send application/json`,
  );
});

Deno.test("unknown routes answer 404 JSON and wrong methods 405 JSON with Allow", async () => {
  await using t = await startTestSidecar(demo);
  const missing = await t.request("/nope");
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error, "no route for GET /nope");
  const wrong = await t.request("/add");
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST");
  assert.equal((await wrong.json()).error, "method GET not allowed on /add: use POST");
  const postHealth = await t.request("/health", { method: "POST" });
  assert.equal(postHealth.status, 405);
  assert.equal(postHealth.headers.get("allow"), "GET, HEAD");
});

Deno.test("a body over BODY_LIMIT answers 413, by Content-Length and by counting", async () => {
  await using t = await startTestSidecar(demo, { env: { BODY_LIMIT: "100" } });
  const declared = await t.request("/add", json({ a: 1, b: 2, pad: "x".repeat(200) }));
  assert.equal(declared.status, 413);
  assert.equal((await declared.json()).error, "request body too large: the limit is 100 bytes");
  const streamed = await t.request("/add", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new Blob([JSON.stringify({ pad: "y".repeat(500) })]).stream(),
  });
  assert.equal(streamed.status, 413);
});

Deno.test("a failing tool answers 500 with exit code and stderr tail", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("fail", { code: 4 });
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.equal(body.error, "sh exited with code 4: something broke");
  assert.equal(body.exit_code, 4);
  assert.equal(body.stderr_tail, "something broke\n");
});

Deno.test("a job over JOB_TIMEOUT_MS answers 504 and its real sleep is killed", async () => {
  await using t = await startTestSidecar(demo, { env: { JOB_TIMEOUT_MS: "200" } });
  const t0 = performance.now();
  const res = await t.postJson("sleep", { seconds: 30 });
  assert.equal(res.status, 504);
  assert.deepEqual(await res.json(), { error: "job timed out after 200 ms", timeout_ms: 200 });
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("a full queue answers 429 with Retry-After", async () => {
  await using t = await startTestSidecar(demo, { env: { MAX_CONCURRENCY: "1", MAX_QUEUE: "1" } });
  const running = t.postJson("sleep", { seconds: 0.5 });
  const queued = t.postJson("sleep", { seconds: 0.1 });
  await new Promise((r) => setTimeout(r, 100));
  const rejected = await t.postJson("add", { a: 1, b: 1 });
  assert.equal(rejected.status, 429);
  assert.equal(rejected.headers.get("retry-after"), "1");
  assert.match((await rejected.json()).error, /^queue full: 1 running, 1 waiting/);
  assert.equal((await running).status, 200);
  assert.equal((await queued).status, 200);
  const metrics = await (await t.request("/metrics")).text();
  assert.match(metrics, /sidecar_jobs_rejected_total\{job="add",sidecar="demo"\} 1/);
});

Deno.test("a client that goes away cancels the job (499) and kills its process", async () => {
  await using t = await startTestSidecar(demo);
  const ac = new AbortController();
  const res = t.request("/sleep", { ...json({ seconds: 30 }), signal: ac.signal });
  await new Promise((r) => setTimeout(r, 200));
  ac.abort();
  await res.catch(() => {});
  for (let i = 0; i < 50 && t.app.activeJobs() > 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(t.app.activeJobs(), 0);
  const metrics = await (await t.request("/metrics")).text();
  assert.match(metrics, /sidecar_jobs_total\{job="sleep",outcome="cancelled",sidecar="demo"\} 1/);
});

Deno.test("each job writes to its own output dir, returned as /shared paths", async () => {
  await using t = await startTestSidecar(demo);
  const first = await (await t.postJson("frames", { count: 3 })).json();
  const second = await (await t.postJson("frames", { count: 1 })).json();
  assert.equal(first.count, 3);
  assert.equal(second.count, 1, "no file of the first job is listed");
  assert.match(second.frames[0], /^\/shared\/output\/[0-9a-f-]{36}\/frame_1\.jpg$/);
  assert.notEqual(first.frames[0].split("/")[3], second.frames[0].split("/")[3]);
  assert.equal(await Deno.readTextFile(t.paths.toReal(second.frames[0])), "frame 1");
});

Deno.test("per-job scratch dirs are made under TMPDIR and removed afterwards", async () => {
  await using t = await startTestSidecar(demo);
  const body = await (await t.postJson("frames", { count: 2 })).json();
  assert.ok(body.scratch.startsWith(`${t.tmpDir}/job-`));
  await assert.rejects(Deno.stat(body.scratch), Deno.errors.NotFound);
  assert.deepEqual([...Deno.readDirSync(t.tmpDir)], []);
});

Deno.test("X-Request-Id is echoed (or generated) and every request is logged as JSON", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("add", { a: 1, b: 1 }, { "x-request-id": "abc-123" });
  assert.equal(res.headers.get("x-request-id"), "abc-123");
  const generated = await t.request("/nope");
  const id = generated.headers.get("x-request-id") ?? "";
  assert.match(id, /^[0-9a-f]{16}-[0-9a-z]+$/);
  const next = (await t.request("/nope", { headers: { "x-request-id": "has spaces" } }))
    .headers.get("x-request-id") ?? "";
  assert.match(next, /^[0-9a-f]{16}-[0-9a-z]+$/, "an invalid id is replaced");
  assert.notEqual(next, id);
  assert.equal(next.split("-")[0], id.split("-")[0], "one random prefix per process");
  const line = t.logs.find((l) => l.msg === "request" && l.request_id === "abc-123");
  assert.equal(line?.method, "POST");
  assert.equal(line?.path, "/add");
  assert.equal(line?.status, 200);
  assert.equal(typeof line?.duration_ms, "number");
  const jobLine = t.logs.find((l) => l.msg === "job finished" && l.request_id === "abc-123");
  assert.equal(jobLine?.outcome, "succeeded");
});

Deno.test("GET /metrics exposes jobs by name and outcome, durations, in flight and queue length", async () => {
  await using t = await startTestSidecar(demo);
  await t.postJson("add", { a: 1, b: 1 });
  await t.postJson("fail", { code: 1 });
  const res = await t.request("/metrics");
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  const text = await res.text();
  assert.match(text, /sidecar_jobs_total\{job="add",outcome="succeeded",sidecar="demo"\} 1/);
  assert.match(text, /sidecar_jobs_total\{job="fail",outcome="failed",sidecar="demo"\} 1/);
  assert.match(
    text,
    /sidecar_job_duration_seconds_count\{sidecar="demo",job="add",outcome="succeeded"\} 1/,
  );
  assert.match(text, /sidecar_jobs_in_flight\{job="add",sidecar="demo"\} 0/);
  assert.match(text, /sidecar_queue_length\{sidecar="demo"\} 0/);
});

Deno.test("GET /openapi.json is generated from the zod schemas", async () => {
  await using t = await startTestSidecar(demo);
  const doc = await (await t.request("/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  const add = doc.paths["/add"].post;
  assert.deepEqual(add.requestBody.content["application/json"].schema.required, ["a", "b"]);
  assert.equal(add.requestBody.content["application/json"].schema.properties.b.exclusiveMinimum, 0);
  assert.ok(
    doc.paths["/frames"].post.requestBody.content["application/json"].schema.properties
      .output_dir["x-shared-path"],
  );
  assert.deepEqual(Object.keys(doc.paths["/upper"].post.requestBody.content), [
    "text/plain",
    "text/markdown",
  ]);
  assert.equal(doc.info["x-limits"].body_limits.upper, 1024);
});

Deno.test("shutdown() answers 503 to new work, lets running jobs finish, then cancels the rest", async () => {
  await using t = await startTestSidecar(demo);
  const short = t.postJson("sleep", { seconds: 0.3 });
  const long = t.postJson("sleep", { seconds: 30 });
  await new Promise((r) => setTimeout(r, 100));
  const stopping = t.app.shutdown(800);
  const health = await t.request("/health");
  assert.equal(health.status, 503);
  const refused = await t.postJson("add", { a: 1, b: 1 });
  assert.equal(refused.status, 503);
  assert.equal((await refused.json()).error, "shutting down: not accepting new jobs");
  assert.equal((await short).status, 200);
  const cancelled = await long;
  assert.equal(cancelled.status, 503);
  assert.equal((await cancelled.json()).error, "cancelled: the sidecar is shutting down");
  await stopping;
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("shutdown() fails jobs still queued at once (503, Retry-After); the running one finishes", async () => {
  await using t = await startTestSidecar(demo, { env: { MAX_CONCURRENCY: "1", MAX_QUEUE: "4" } });
  const running = t.postJson("sleep", { seconds: 0.6 });
  await new Promise((r) => setTimeout(r, 100));
  const queued = t.postJson("sleep", { seconds: 0.1 });
  await new Promise((r) => setTimeout(r, 100));
  const started = performance.now();
  const stopping = t.app.shutdown(5_000);
  const refused = await queued;
  assert.ok(performance.now() - started < 300, "not after the grace period");
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.equal(
    (await refused.json()).error,
    "cancelled before it started: the sidecar is shutting down",
  );
  assert.equal((await running).status, 200);
  await stopping;
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("a job whose body was still arriving when shutdown began does not start either", async () => {
  await using t = await startTestSidecar(demo, { env: { MAX_CONCURRENCY: "1" } });
  const running = t.postJson("sleep", { seconds: 0.5 });
  await new Promise((r) => setTimeout(r, 100));
  // Admitted (headers read), its body held back until after the shutdown began.
  let send!: (chunk: Uint8Array) => void;
  let end!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      send = (chunk) => c.enqueue(chunk);
      end = () => c.close();
    },
  });
  const late = t.request("/sleep", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  await new Promise((r) => setTimeout(r, 50));
  const stopping = t.app.shutdown(5_000);
  send(new TextEncoder().encode('{"seconds":0.1}'));
  end();
  const refused = await late;
  assert.equal(refused.status, 503);
  assert.equal(
    (await refused.json()).error,
    "cancelled before it started: the sidecar is shutting down",
  );
  assert.equal((await running).status, 200);
  await stopping;
});

Deno.test("the served fetch answers GET/HEAD /health before routing, like the Hono route", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.app.app.fetch(new Request("http://pod/health?probe=1"));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  const routed = await t.request("/health");
  assert.deepEqual(await res.json(), await routed.json());
  // Neither path adds a header besides content-type (no request id: probes are not logged).
  for (const r of [res, routed]) assert.deepEqual([...r.headers.keys()], ["content-type"]);
  const head = await t.app.app.fetch(
    new Request("http://pod/health", { method: "HEAD", headers: { "x-request-id": "probe-1" } }),
  );
  // No body, but the length of GET's body; still no request id.
  assert.deepEqual([...head.headers.keys()], ["content-length", "content-type"]);
  assert.equal(
    head.headers.get("content-length"),
    String((await (await t.app.app.fetch(new Request("http://pod/health"))).bytes()).byteLength),
  );
  assert.equal(await head.text(), "");
  await t.app.shutdown(0);
  const stopping = await t.app.app.fetch(new Request("http://pod/health"));
  assert.equal(stopping.status, 503);
  assert.equal((await stopping.json()).status, "stopping");
});
