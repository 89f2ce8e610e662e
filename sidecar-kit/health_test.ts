import assert from "node:assert/strict";
import { z } from "zod";
import { defineSidecar, job } from "./define.ts";
import { startTestSidecar } from "./testing.ts";
import type { HealthBody } from "./types.ts";

const ping = job({ input: z.object({}), run: () => ({ pong: true }) });

function toolSidecar(healthBody?: HealthBody) {
  return defineSidecar({
    name: "tool",
    version: "2.0.0",
    check: () => ({ path: "/usr/bin/tool", version: "9.1", extra: [1, 2] }),
    ...(healthBody ? { healthBody } : {}),
    jobs: { ping },
  });
}

Deno.test("without healthBody, a ready /health is { status, sidecar, version, info }", async () => {
  await using t = await startTestSidecar(toolSidecar());
  const res = await t.request("/health");
  assert.equal(res.status, 200);
  assert.equal(
    await res.text(),
    `{"status":"ok","sidecar":"tool","version":"2.0.0",` +
      `"info":{"path":"/usr/bin/tool","version":"9.1","extra":[1,2]}}`,
  );
});

Deno.test("healthBody shapes the ready /health once: status first, its own status ignored", async () => {
  const calls: unknown[][] = [];
  await using t = await startTestSidecar(toolSidecar((info, sidecar) => {
    calls.push([info, sidecar]);
    return { status: "great", tool: info.path, version: info.version, sidecar_version: "x" };
  }));
  const fast = await t.app.app.fetch(new Request("http://pod/health"));
  const routed = await t.request("/health");
  const again = await t.app.app.fetch(new Request("http://pod/health"));
  const expected = `{"status":"ok","tool":"/usr/bin/tool","version":"9.1","sidecar_version":"x"}`;
  for (const res of [fast, routed, again]) {
    assert.equal(res.status, 200);
    assert.equal(await res.text(), expected);
  }
  assert.deepEqual(calls, [[
    { path: "/usr/bin/tool", version: "9.1", extra: [1, 2] },
    { name: "tool", version: "2.0.0" },
  ]]);
});

Deno.test("a healthBody that throws keeps the sidecar unready with the reason, and jobs get 503", async () => {
  await using t = await startTestSidecar(toolSidecar((info) => {
    if (!info.missing) throw new Error("no 'missing' in the self-check result");
    return {};
  }));
  const res = await t.request("/health");
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    error: "not ready: self-check failed: healthBody threw: no 'missing' in the self-check result",
    status: "failed",
  });
  const job = await t.postJson("ping", {});
  assert.equal(job.status, 503);
  assert.match((await job.json()).error, /^not ready: self-check failed: healthBody threw/);
});

Deno.test("a healthBody that returns no JSON object keeps the sidecar unready, saying what it got", async () => {
  const cases: [HealthBody, string][] = [
    [
      () => [] as unknown as Record<string, unknown>,
      "healthBody must return a JSON object, got an array",
    ],
    [
      () => null as unknown as Record<string, unknown>,
      "healthBody must return a JSON object, got null",
    ],
    [() => ({ n: 1n }), "healthBody returned a value that is not JSON: "],
  ];
  for (const [hook, message] of cases) {
    await using t = await startTestSidecar(toolSidecar(hook));
    const res = await t.app.app.fetch(new Request("http://pod/health"));
    assert.equal(res.status, 503);
    const { error } = await res.json();
    assert.ok(error.startsWith(`not ready: self-check failed: ${message}`), error);
  }
});

Deno.test("GET and HEAD /health carry no request id, given or not, unlike the other routes", async () => {
  await using t = await startTestSidecar(toolSidecar());
  for (const headers of [{}, { "x-request-id": "probe-7" }] as Record<string, string>[]) {
    for (const method of ["GET", "HEAD"]) {
      const res = await t.app.app.fetch(new Request("http://pod/health", { method, headers }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-request-id"), null, `${method} ${JSON.stringify(headers)}`);
      await res.body?.cancel();
    }
  }
  // A wrong method on the health path is an ordinary (logged) request: it gets an id.
  const post = await t.app.app.fetch(
    new Request("http://pod/health", { method: "POST", headers: { "x-request-id": "probe-8" } }),
  );
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("x-request-id"), "probe-8");
  await post.body?.cancel();
});
