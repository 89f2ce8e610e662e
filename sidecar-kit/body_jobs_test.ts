import assert from "node:assert/strict";
import { pipeProcess } from "./pipe_process.ts";
import { ProcessError } from "./process_error.ts";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";

const text = (body: BodyInit, type = "text/plain") => ({
  method: "POST",
  headers: { "content-type": type },
  body,
});

Deno.test("a body job streams the request body through the tool and back", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/upper", text("# Title\nhello"));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await res.text(), "# TITLE\nHELLO");
});

Deno.test("a body job refuses unaccepted content types with 415 listing the accepted ones", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/upper", text("x", "application/pdf"));
  assert.equal(res.status, 415);
  const body = await res.json();
  assert.equal(
    body.error,
    `unsupported content type "application/pdf": send one of text/plain, text/markdown`,
  );
  assert.deepEqual(body.accepted, ["text/plain", "text/markdown"]);
});

Deno.test("a body job over its maxBytes answers 413 (declared length)", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/upper", text("a".repeat(2000)));
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error, "request body too large: the limit is 1024 bytes");
});

Deno.test("a streamed body crossing maxBytes aborts the job instead of returning partial output", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/upper", text(new Blob(["a".repeat(5000)]).stream()));
  // Either the 413 arrives before any output, or the stream is cut: never a complete 200.
  if (res.status === 413) {
    assert.match((await res.json()).error, /too large/);
  } else {
    await assert.rejects(res.text());
  }
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("a tool failing before any output answers 500 JSON with its stderr", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/broken", text("hello"));
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.equal(body.exit_code, 2);
  assert.equal(body.stderr_tail, "no such option\n");
});

Deno.test("a */* body job accepts any content type and binary bodies", async () => {
  await using t = await startTestSidecar(demo);
  const res = await t.request("/count", text(new Uint8Array(3000), "application/octet-stream"));
  assert.equal(res.status, 200);
  assert.equal((await res.text()).trim(), "3000");
});

Deno.test("pipeProcess() errors its stream with the exit code of a failing tool", async () => {
  const out = pipeProcess(["sh", "-c", "echo partial; exit 3"]);
  const err = await new Response(out).text().then(() => undefined, (e) => e);
  assert.ok(err instanceof ProcessError);
  assert.equal(err.code, 3);
});

Deno.test("cancelling a pipeProcess() stream kills the tool", async () => {
  const out = pipeProcess(["sh", "-c", "while true; do echo y; done"]);
  const reader = out.getReader();
  assert.equal((await reader.read()).done, false);
  const t0 = performance.now();
  await reader.cancel();
  assert.ok(performance.now() - t0 < 3000);
});
