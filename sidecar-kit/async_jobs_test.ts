import assert from "node:assert/strict";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";
import { JobStore } from "./_job_store.ts";

const ASYNC = { prefer: "respond-async" };

async function waitFinal(t: { request(p: string): Promise<Response> }, id: string) {
  for (let i = 0; i < 200; i++) {
    const state = await (await t.request(`/jobs/${id}`)).json();
    if (!["queued", "running"].includes(state.status)) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("job did not finish");
}

Deno.test("Prefer: respond-async answers 202 and GET /jobs/:id returns the result", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("frames", { count: 2 }, ASYNC);
  assert.equal(res.status, 202);
  assert.equal(res.headers.get("preference-applied"), "respond-async");
  const { id, status, status_url } = await res.json();
  assert.equal(status, "queued");
  assert.equal(status_url, `/jobs/${id}`);
  assert.equal(res.headers.get("location"), status_url);
  const state = await waitFinal(t, id);
  assert.equal(state.status, "succeeded");
  assert.equal(state.result.count, 2);
  assert.match(state.result.frames[0], /^\/shared\/output\//);
  assert.deepEqual(state.progress, { percent: 100, frame: 2 });
  assert.equal(typeof state.duration_ms, "number");
});

Deno.test("async input errors still answer 400 at submission", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.postJson("add", { a: 1 }, ASYNC);
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /^invalid input: b: /);
});

Deno.test("an async tool failure is stored with its HTTP status and error body", async () => {
  await using t = await startTestSidecar(demo);
  const { id } = await (await t.postJson("fail", { code: 9 }, ASYNC)).json();
  const state = await waitFinal(t, id);
  assert.equal(state.status, "failed");
  assert.equal(state.http_status, 500);
  assert.equal(state.error.exit_code, 9);
});

Deno.test("DELETE /jobs/:id cancels a running job; a finished one answers 409", async () => {
  await using t = await startTestSidecar(demo);
  const { id } = await (await t.postJson("sleep", { seconds: 30 }, ASYNC)).json();
  await new Promise((r) => setTimeout(r, 100));
  const del = await t.request(`/jobs/${id}`, { method: "DELETE" });
  assert.equal(del.status, 200);
  const state = await waitFinal(t, id);
  assert.equal(state.status, "cancelled");
  assert.equal(state.error.error, "cancelled: DELETE /jobs/:id");
  const again = await t.request(`/jobs/${id}`, { method: "DELETE" });
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error, `job ${id} already finished (cancelled)`);
});

Deno.test("an async job over its timeout ends as timed_out", async () => {
  await using t = await startTestSidecar(demo, { env: { JOB_TIMEOUT_MS: "150" } });
  const { id } = await (await t.postJson("sleep", { seconds: 30 }, ASYNC)).json();
  const state = await waitFinal(t, id);
  assert.equal(state.status, "timed_out");
  assert.equal(state.http_status, 504);
});

Deno.test("GET /jobs/:id for an unknown id answers 404 JSON", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/jobs/nope");
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error, `unknown job id "nope" (finished jobs expire)`);
});

Deno.test("GET /jobs/:id/events streams status, progress parsed from a real process, and end", async () => {
  await using t = await startTestSidecar(demo);
  const { id } = await (await t.postJson("progress", { steps: 4, delay_ms: 50 }, ASYNC)).json();
  const res = await t.request(`/jobs/${id}/events`);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const text = await res.text();
  const events = text.trim().split("\n\n").map((block) => {
    const [ev, data] = block.split("\n");
    return { type: ev!.slice(7), data: JSON.parse(data!.slice(6)) };
  });
  assert.equal(events[0]!.type, "status");
  const percents = events.filter((e) => e.type === "progress").map((e) => e.data.percent);
  assert.deepEqual(percents, [25, 50, 75, 100].slice(4 - percents.length));
  assert.ok(percents.length >= 2, `saw progress ${percents}`);
  const end = events.at(-1)!;
  assert.equal(end.type, "end");
  assert.equal(end.data.status, "succeeded");
  assert.deepEqual(end.data.result, { steps: 4 });
});

Deno.test("events of an already finished job give its final state and end at once", async () => {
  await using t = await startTestSidecar(demo);
  const { id } = await (await t.postJson("add", { a: 1, b: 2 }, ASYNC)).json();
  await waitFinal(t, id);
  const text = await (await t.request(`/jobs/${id}/events`)).text();
  assert.match(text, /^event: status\n/);
  assert.match(text, /event: end\ndata: \{.*"sum":3/);
});

Deno.test("JobStore keeps finished jobs for the retention time and at most the cap", () => {
  let now = 1_000_000;
  const store = new JobStore(60_000, 2, () => now);
  for (const id of ["a", "b", "c"]) {
    const e = store.create(id, "job", new AbortController());
    store.start(e);
    now += 10;
    store.finish(e, "succeeded", { result: { id } });
  }
  assert.equal(store.get("a"), undefined, "oldest dropped by the cap");
  assert.equal(store.get("b")?.state.status, "succeeded");
  const running = store.create("d", "job", new AbortController());
  now += 61_000;
  assert.equal(store.get("b"), undefined, "expired by age");
  assert.equal(store.get("c"), undefined);
  assert.equal(store.get("d"), running, "active jobs never expire");
});
