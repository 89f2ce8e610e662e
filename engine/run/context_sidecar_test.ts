import assert from "node:assert/strict";
import {
  type Answer,
  connectionRefused,
  FakeClock,
  inlineRunner,
  recordingFetch,
  tempWorkflow,
} from "./_test_util.ts";
import type { LogRecord } from "./options.ts";
import type { RunResult } from "./types.ts";

const YAML = `name: ctx-sidecar
version: "1"
sidecars:
  - name: ffmpeg
    image: example/ffmpeg:1
    port: 9000
    healthPath: /ready
  - name: other
    image: example/other:1
    port: 9001
nodes:
  probe:
    path: ./probe.ts
  limited:
    path: ./probe.ts
    sidecars: [ffmpeg]
  short:
    path: ./probe.ts
    timeout: 300ms
`;

// Makes the input's calls through ctx.sidecar(input.sidecar) and reports each answer or error
// (also logged); only the node the input names does anything.
const PROBE = `export default async function run(ctx, input) {
  if (ctx.node !== input.node) return "not asked";
  const client = ctx.sidecar(input.sidecar);
  const out = { name: client.name, url: client.url, answers: [] };
  for (const call of input.calls) {
    try {
      if (call.json) {
        out.answers.push(await client.json(call.path, call.body));
      } else {
        const res = await client.fetch(call.path, call.init);
        out.answers.push({ status: res.status, text: await res.text() });
      }
    } catch (e) {
      const error = { name: e.name, sidecar: e.sidecar, status: e.status, detail: e.detail, message: e.message };
      ctx.log.error("sidecar call failed", error);
      if (input.rethrow) throw e;
      out.answers.push({ error });
    }
  }
  return out;
}
`;

interface Probe {
  node?: string;
  sidecar?: string;
  calls: { path: string; json?: boolean; body?: unknown; init?: RequestInit }[];
  rethrow?: boolean;
}

interface Setup {
  answer: Answer;
  runs?: number;
  signal?: AbortSignal;
}

/** Runs the workflow (once per `runs`) with a fake clock and fetch; returns what they saw. */
async function probe(input: Probe, setup: Setup) {
  await using wf = await tempWorkflow(YAML, { "probe.ts": PROBE });
  const clock = new FakeClock();
  const fake = recordingFetch(setup.answer);
  const logs: LogRecord[] = [];
  await using runner = await inlineRunner(wf, { fetch: fake, clock }, logs);
  const results: RunResult[] = [];
  const full = { node: "probe", sidecar: "ffmpeg", ...input };
  for (let i = 0; i < (setup.runs ?? 1); i++) {
    results.push(await runner.run(full, { signal: setup.signal }));
  }
  const node = full.node;
  return { results, node, fake, clock, logs, output: results[0]!.outputs[node] };
}

function paths(requests: Request[]): string[] {
  return requests.map((r) => `${r.method} ${r.url}`);
}

Deno.test("ctx.sidecar waits until the health path answers 200, then sends; later calls skip the check", async () => {
  let health = 0;
  const { fake, clock, output } = await probe(
    { calls: [{ path: "/extract", json: true, body: { a: 1 } }, { path: "/extract", json: true }] },
    {
      answer: (req) =>
        req.url.endsWith("/ready")
          ? new Response(null, { status: ++health < 3 ? 503 : 200 })
          : Response.json({ frames: 3 }),
      runs: 2,
    },
  );
  assert.deepEqual(output, {
    name: "ffmpeg",
    url: "http://localhost:9000",
    answers: [{ frames: 3 }, { frames: 3 }],
  });
  assert.deepEqual(paths(fake.requests), [
    "GET http://localhost:9000/ready",
    "GET http://localhost:9000/ready",
    "GET http://localhost:9000/ready",
    "POST http://localhost:9000/extract",
    "GET http://localhost:9000/extract",
    "POST http://localhost:9000/extract",
    "GET http://localhost:9000/extract",
  ]);
  assert.equal(fake.requests[3]?.headers.get("content-type"), "application/json");
  assert.equal(await fake.requests[3]?.text(), '{"a":1}');
  assert.deepEqual(clock.sleeps, [50, 100]);
});

Deno.test("ctx.sidecar retries a refused connection with doubling backoff capped at 1 s", async () => {
  let work = 0;
  const { fake, clock, output } = await probe({ calls: [{ path: "/work" }] }, {
    answer: (req) => {
      if (req.url.endsWith("/ready")) return new Response("ok");
      if (++work < 8) throw connectionRefused(req.url);
      return new Response("done");
    },
  });
  assert.deepEqual(output, {
    name: "ffmpeg",
    url: "http://localhost:9000",
    answers: [{ status: 200, text: "done" }],
  });
  assert.equal(fake.requests.filter((r) => r.url.endsWith("/work")).length, 8);
  assert.deepEqual(clock.sleeps, [50, 100, 200, 400, 800, 1000, 1000]);
});

Deno.test("ctx.sidecar turns an error answer into a SidecarError with the status and the sidecar's error text", async () => {
  const bodies: Record<string, Response> = {
    "/missing": Response.json({ error: "input not found" }, { status: 422 }),
    "/crash": new Response("segfault in libav", { status: 500 }),
    "/gone": new Response(null, { status: 404, statusText: "Not Found" }),
  };
  const { fake, output } = await probe(
    { calls: Object.keys(bodies).map((path) => ({ path })) },
    {
      answer: (req) => bodies[new URL(req.url).pathname] ?? new Response("ok"),
    },
  );
  const error = (status: number, detail: string) => ({
    error: {
      name: "SidecarError",
      sidecar: "ffmpeg",
      status,
      detail,
      message: `sidecar "ffmpeg" answered ${status}: ${detail}`,
    },
  });
  assert.deepEqual((output as { answers: unknown[] }).answers, [
    error(422, "input not found"),
    error(500, "segfault in libav"),
    error(404, "Not Found"),
  ]);
  assert.equal(fake.requests.length, 4, "error answers are not retried");
});

Deno.test("a SidecarError a node does not catch becomes the node's error in the run result", async () => {
  const { results } = await probe({ calls: [{ path: "/missing" }], rethrow: true }, {
    answer: (req) =>
      req.url.endsWith("/ready")
        ? new Response("ok")
        : Response.json({ error: "input not found" }, { status: 422 }),
  });
  assert.equal(results[0]!.nodes.probe?.status, "failed");
  assert.equal(
    results[0]!.errors.probe,
    'SidecarError: sidecar "ffmpeg" answered 422: input not found',
  );
});

Deno.test("ctx.sidecar(...).json() reports an answer that is not JSON", async () => {
  const { output } = await probe({ calls: [{ path: "/info", json: true }] }, {
    answer: (req) => new Response(req.url.endsWith("/ready") ? "ok" : "<html>oops</html>"),
  });
  assert.deepEqual((output as { answers: unknown[] }).answers, [{
    error: {
      name: "SidecarError",
      sidecar: "ffmpeg",
      status: 200,
      detail: "answer is not JSON: <html>oops</html>",
      message: 'sidecar "ffmpeg" answered 200: answer is not JSON: <html>oops</html>',
    },
  }]);
});

Deno.test("ctx.sidecar does not retry a network error other than a refused connection", async () => {
  const { fake, output } = await probe({ calls: [{ path: "/work" }] }, {
    answer: (req) => {
      if (req.url.endsWith("/ready")) return new Response("ok");
      throw new TypeError("fetch failed", { cause: new Error("connection reset by peer") });
    },
  });
  assert.deepEqual((output as { answers: unknown[] }).answers, [{
    error: {
      name: "SidecarError",
      sidecar: "ffmpeg",
      status: 0,
      detail: "fetch failed: connection reset by peer",
      message: 'sidecar "ffmpeg" could not be reached: fetch failed: connection reset by peer',
    },
  }]);
  assert.equal(fake.requests.length, 2);
});

Deno.test("ctx.sidecar stops retrying as soon as the run is cancelled", async () => {
  const cancel = new AbortController();
  setTimeout(() => cancel.abort(), 100);
  const { results, fake, logs } = await probe({ calls: [{ path: "/work" }] }, {
    answer: (req) => {
      throw connectionRefused(req.url);
    },
    signal: cancel.signal,
  });
  assert.equal(results[0]!.nodes.probe?.status, "cancelled");
  await new Promise((resolve) => setTimeout(resolve, 20));
  const sent = fake.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(fake.requests.length, sent, "no request after the cancellation");
  const failure = logs.find((l) => l.msg === "sidecar call failed");
  assert.equal(
    failure?.fields?.message,
    'sidecar "ffmpeg" could not be reached: gave up when the node\'s signal aborted ' +
      "(GET /ready failed: fetch failed: error sending request for url " +
      "(http://localhost:9000/ready): client error (Connect): tcp connect error: " +
      "Connection refused (os error 111))",
  );
});

Deno.test("ctx.sidecar stops waiting for readiness when the node times out", async () => {
  const { results, logs } = await probe({ node: "short", calls: [{ path: "/work" }] }, {
    answer: () => new Response("starting", { status: 503 }),
  });
  assert.equal(results[0]!.nodes.short?.status, "timed_out");
  await new Promise((resolve) => setTimeout(resolve, 20));
  const failure = logs.find((l) => l.msg === "sidecar call failed");
  assert.equal(
    failure?.fields?.message,
    'sidecar "ffmpeg" could not be reached: gave up when the node\'s signal aborted ' +
      "(GET /ready answered 503)",
  );
});

Deno.test("ctx.sidecar rejects an undeclared sidecar, one outside the node's list, and a non-path", async () => {
  const none = { answer: () => new Response("never") };
  const undeclared = await probe({ sidecar: "nope", calls: [], rethrow: true }, none);
  assert.equal(
    undeclared.results[0]!.errors.probe,
    'ReferenceError: sidecar "nope" is not declared in workflow.yaml (sidecars: ffmpeg, other)',
  );
  const unlisted = await probe({ node: "limited", sidecar: "other", calls: [] }, none);
  assert.equal(
    unlisted.results[0]!.errors.limited,
    'ReferenceError: node "limited" may not call sidecar "other": its sidecars list is [ffmpeg]',
  );
  const relative = await probe({ calls: [{ path: "extract" }], rethrow: true }, none);
  assert.equal(
    relative.results[0]!.errors.probe,
    'TypeError: ctx.sidecar("ffmpeg").fetch("extract"): the path must start with "/"',
  );
  for (const run of [undeclared, unlisted, relative]) assert.equal(run.fake.requests.length, 0);
});

Deno.test("ctx.sidecar says so when the workflow declares no sidecars", async () => {
  await using wf = await tempWorkflow(
    'name: bare\nversion: "1"\nnodes:\n  probe:\n    path: ./probe.ts\n',
    { "probe.ts": PROBE },
  );
  await using runner = await inlineRunner(wf);
  const result = await runner.run({ node: "probe", sidecar: "ffmpeg", calls: [] });
  assert.equal(
    result.errors.probe,
    'ReferenceError: sidecar "ffmpeg" is not declared in workflow.yaml (it declares no sidecars)',
  );
});
