import assert from "node:assert/strict";
import { checkConformance, startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";

Deno.test("checkConformance() passes a kit sidecar, probing every job and shared-path field", async () => {
  await using t = await startTestSidecar(demo, { listen: true });
  const report = await checkConformance(t.url!, {
    jobs: { add: { valid: { a: 1, b: 2 } }, upper: { body: "abc" } },
  });
  assert.ok(report.ok, report.summary);
  const names = report.checks.map((c) => c.name);
  assert.ok(names.includes(`POST /frames with output_dir="/etc/passwd" answers 400`));
  assert.ok(names.includes("POST /add with {} names the required fields"));
  assert.ok(names.includes("POST /upper with 1025 bytes answers 413"));
  assert.ok(names.includes("POST /add with the valid sample answers 200"));
  assert.ok(report.checks.length > 40, `${report.checks.length} checks`);
});

Deno.test("checkConformance() reports each violation of a server that ignores the contract", async () => {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen: () => {} },
    (req) =>
      new URL(req.url).pathname === "/health"
        ? new Response("fine")
        : new Response("nope", { status: 404 }),
  );
  try {
    const report = await checkConformance(`http://127.0.0.1:${server.addr.port}`);
    assert.equal(report.ok, false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    assert.ok(failed.includes(`GET /health answers 200 {status:"ok"}`));
    assert.ok(failed.includes("an unknown route answers 404 JSON"));
    assert.match(report.summary, /X-Request-Id not echoed/);
    assert.match(report.summary, /error body is not JSON \{ error: string \}/);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("startTestSidecar() writes shared files and removes its temp dirs on close", async () => {
  const t = await startTestSidecar(demo);
  const pod = await t.writeShared("/shared/in/a.txt", "hi");
  assert.equal(pod, "/shared/in/a.txt");
  assert.equal(await Deno.readTextFile(`${t.sharedDir}/in/a.txt`), "hi");
  await t.close();
  await assert.rejects(Deno.stat(t.sharedDir), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(t.tmpDir), Deno.errors.NotFound);
});
