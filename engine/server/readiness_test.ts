import assert from "node:assert/strict";
import type { Sidecar } from "../spec/schema.ts";
import { createEngineLogger } from "./log.ts";
import { probeSidecars, type ReadinessReport } from "./readiness.ts";
import { waitForSidecars } from "./wait_for_sidecars.ts";

const http: Sidecar = {
  name: "ffmpeg",
  image: "x",
  port: 9000,
  protocol: "http",
  healthPath: "/healthz",
};
const grpc: Sidecar = {
  name: "infer",
  image: "x",
  port: 9100,
  protocol: "grpc",
  healthPath: "/health",
};

Deno.test("probeSidecars asks each HTTP sidecar's healthPath on localhost", async () => {
  const urls: string[] = [];
  const report = await probeSidecars([http], {
    fetch: (url) => (urls.push(String(url)), Promise.resolve(new Response("ok"))),
  });
  assert.deepEqual(urls, ["http://localhost:9000/healthz"]);
  assert.equal(report.ready, true);
  assert.equal(report.sidecars.ffmpeg?.status, 200);
});

Deno.test("probeSidecars reports a non-200 answer and a refused connection as not ready", async () => {
  const report = await probeSidecars([http, { ...http, name: "other", port: 9001 }], {
    fetch: (url) =>
      String(url).includes("9000")
        ? Promise.resolve(new Response("starting", { status: 503 }))
        : Promise.reject(
          new TypeError(
            "error sending request for url (http://localhost:9001/healthz): Connection refused",
          ),
        ),
  });
  assert.equal(report.ready, false);
  assert.equal(report.sidecars.ffmpeg?.error, "/healthz answered 503, expected 200");
  assert.equal(report.sidecars.other?.error, "Connection refused");
});

Deno.test("probeSidecars gives up on a sidecar that does not answer within the timeout", async () => {
  const report = await probeSidecars([http], {
    timeoutMs: 20,
    fetch: (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))
      ),
  });
  assert.equal(report.sidecars.ffmpeg?.error, "no answer within 20 ms");
});

Deno.test("probeSidecars checks a gRPC sidecar by opening a TCP connection", async () => {
  const dialed: string[] = [];
  const ok = await probeSidecars([grpc], {
    connect: (host, port) => (dialed.push(`${host}:${port}`), Promise.resolve()),
  });
  assert.deepEqual(dialed, ["localhost:9100"]);
  assert.equal(ok.sidecars.infer?.url, "tcp://localhost:9100");
  assert.equal(ok.ready, true);
  const refused = await probeSidecars([grpc], {
    connect: () =>
      Promise.reject(new Deno.errors.ConnectionRefused("Connection refused (os error 111)")),
  });
  assert.equal(refused.sidecars.infer?.error, "Connection refused (os error 111)");
});

Deno.test("probeSidecars with no sidecars is ready", async () => {
  assert.deepEqual(await probeSidecars([]), { ready: true, sidecars: {} });
});

const notReady: ReadinessReport = {
  ready: false,
  sidecars: {
    ffmpeg: { ready: false, url: "http://localhost:9000/health", error: "refused", latencyMs: 0 },
  },
};

Deno.test("waitForSidecars logs what it waits for and returns once all are ready", async () => {
  const lines: Record<string, unknown>[] = [];
  let calls = 0;
  const report = await waitForSidecars({
    probe: () => Promise.resolve(++calls < 3 ? notReady : { ready: true, sidecars: {} }),
    timeoutMs: 5_000,
    intervalMs: 1,
    log: createEngineLogger({ write: (l) => lines.push(JSON.parse(l)) }),
  });
  assert.equal(report.ready, true);
  assert.equal(calls, 3);
  assert.equal(lines[0]?.msg, "waiting for sidecars");
  assert.deepEqual(lines[0]?.sidecars, [
    { name: "ffmpeg", url: "http://localhost:9000/health", error: "refused" },
  ]);
  assert.equal(lines.at(-1)?.msg, "sidecars ready");
});

Deno.test("waitForSidecars is bounded: it warns and returns the last report on timeout", async () => {
  const lines: Record<string, unknown>[] = [];
  const started = Date.now();
  const report = await waitForSidecars({
    probe: () => Promise.resolve(notReady),
    timeoutMs: 60,
    intervalMs: 10,
    log: createEngineLogger({ write: (l) => lines.push(JSON.parse(l)) }),
  });
  assert.ok(Date.now() - started < 1_000);
  assert.equal(report.ready, false);
  assert.equal(lines.at(-1)?.level, "warn");
  assert.match(String(lines.at(-1)?.msg), /^sidecars not ready within the start-up bound/);
});

Deno.test("waitForSidecars stops early when its signal aborts", async () => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 20);
  const started = Date.now();
  const report = await waitForSidecars({
    probe: () => Promise.resolve(notReady),
    timeoutMs: 10_000,
    intervalMs: 5,
    log: createEngineLogger({ write: () => {} }),
    signal: abort.signal,
  });
  assert.equal(report.ready, false);
  assert.ok(Date.now() - started < 2_000);
});
