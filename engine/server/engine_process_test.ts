// Real-process tests: the engine runs as `deno run` with the flags engineCommand derives
// (never -A), on a random loopback port; the test talks to it over HTTP and signals it.
import assert from "node:assert/strict";
import { signBody } from "../triggers/signature.ts";
import { startEngineProcess } from "./_engine_process.ts";

const data = (name: string) => new URL(`./testdata/${name}`, import.meta.url).pathname;

async function json(res: Response): Promise<Record<string, unknown>> {
  return await res.json() as Record<string, unknown>;
}

Deno.test("the engine process serves POST /run under its derived flags on a loopback port", async () => {
  const engine = await startEngineProcess(data("chain3"));
  try {
    assert.ok(!engine.argv.some((a) => a === "-A" || a === "--allow-all"));
    assert.ok(engine.argv.includes("--allow-net=127.0.0.1:0"));
    assert.match(engine.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${engine.url}/run`, { method: "POST", body: '{"n":4}' });
    assert.equal(res.status, 200);
    const result = await json(res);
    assert.deepEqual(result.outputs, { start: { n: 4 }, add: { n: 5 }, double: { n: 10 } });
    assert.equal(res.headers.get("X-Run-Id"), result.runId);
    const bad = await fetch(`${engine.url}/run`, { method: "POST", body: "{n:4}" });
    assert.equal(bad.status, 400);
    assert.match(String((await json(bad)).error), /^request body is not valid JSON/);
    // 10 KB of brackets: valid JSON, far too deep to hand to a sandbox. Twice: still serving.
    for (let i = 0; i < 2; i++) {
      const deep = "[".repeat(5_000) + "]".repeat(5_000);
      const tooDeep = await fetch(`${engine.url}/run`, { method: "POST", body: deep });
      assert.equal(tooDeep.status, 400);
      assert.equal(
        (await json(tooDeep)).error,
        "request body[0][0][0][0]…[0][0][0][0] nests deeper than 512 levels",
      );
    }
    assert.deepEqual(await json(await fetch(`${engine.url}/health`)), { status: "ok" });
    assert.equal((await fetch(`${engine.url}/ready`)).status, 200);
    const metrics = await (await fetch(`${engine.url}/metrics`)).text();
    assert.match(
      metrics,
      /tntc_runs_total\{trigger="manual",status="succeeded",workflow="chain3"\} 1/,
    );
    const line = await engine.waitForLine((l) => l.msg === "run finished");
    assert.equal(line.runId, result.runId);
    assert.equal(line.requestId, res.headers.get("X-Request-Id"));
  } finally {
    await engine.cleanup();
  }
});

Deno.test("SIGTERM drains: the in-flight run finishes within the grace period, new runs get 503, exit 0", async () => {
  const engine = await startEngineProcess(data("slow"), { engineArgs: ["--grace", "15s"] });
  try {
    const inFlight = fetch(`${engine.url}/run`, { method: "POST", body: '{"ms":1500}' });
    await until(async () =>
      /tntc_runs_in_flight\{workflow="slow"\} 1/.test(
        await (await fetch(`${engine.url}/metrics`)).text(),
      )
    );
    engine.kill("SIGTERM");
    await engine.waitForLine((l) => l.msg === "shutting down");
    const refused = await fetch(`${engine.url}/run`, { method: "POST", body: '{"ms":1}' });
    assert.equal(refused.status, 503);
    assert.equal((await json(refused)).error, "engine is shutting down");
    assert.equal((await fetch(`${engine.url}/ready`)).status, 503);
    const res = await inFlight;
    assert.equal(res.status, 200);
    const result = await json(res);
    assert.equal(result.success, true);
    assert.ok(((result.outputs as { wait: { waitedMs: number } }).wait.waitedMs) >= 1_400);
    const status = await engine.child.status;
    assert.equal(status.code, 0);
    const stopped = await engine.waitForLine((l) => l.msg === "stopped");
    assert.deepEqual([stopped.finished, stopped.cancelled], [1, 0]);
  } finally {
    await engine.cleanup();
  }
});

Deno.test("SIGTERM cancels runs still going when the grace period ends, then exits 0", async () => {
  const engine = await startEngineProcess(data("slow"), { engineArgs: ["--grace", "300ms"] });
  try {
    const inFlight = fetch(`${engine.url}/run`, { method: "POST", body: '{"ms":30000}' });
    await until(async () =>
      /tntc_runs_in_flight\{workflow="slow"\} 1/.test(
        await (await fetch(`${engine.url}/metrics`)).text(),
      )
    );
    const started = Date.now();
    engine.kill("SIGTERM");
    const res = await inFlight;
    assert.equal(res.status, 500);
    const result = await json(res) as { nodes: { wait: { status: string; error: string } } };
    assert.equal(result.nodes.wait.status, "cancelled");
    assert.equal(
      result.nodes.wait.error,
      "run cancelled: engine is shutting down: grace period of 300 ms expired",
    );
    assert.equal((await engine.child.status).code, 0);
    assert.ok(Date.now() - started < 10_000, "the engine did not exit promptly after the grace");
    const stopped = await engine.waitForLine((l) => l.msg === "stopped");
    assert.deepEqual([stopped.finished, stopped.cancelled], [0, 1]);
  } finally {
    await engine.cleanup();
  }
});

Deno.test("POST /runs/:id/cancel stops a running run in the engine process", async () => {
  const engine = await startEngineProcess(data("slow"));
  try {
    const started = await fetch(`${engine.url}/run?async=true`, {
      method: "POST",
      body: '{"ms":30000}',
    });
    assert.equal(started.status, 202);
    const { runId } = await json(started);
    const cancel = await fetch(`${engine.url}/runs/${runId}/cancel`, { method: "POST" });
    assert.equal(cancel.status, 202);
    await cancel.body?.cancel();
    let record: Record<string, unknown> = {};
    await until(async () => {
      record = await json(await fetch(`${engine.url}/runs/${runId}`));
      return record.status !== "running";
    });
    assert.equal(record.status, "cancelled");
    const nodes = (record.result as { nodes: { wait: { status: string } } }).nodes;
    assert.equal(nodes.wait.status, "cancelled");
  } finally {
    await engine.cleanup();
  }
});

Deno.test("a six-field cron trigger fires every second inside the engine", async () => {
  const engine = await startEngineProcess(data("triggers"), {
    secrets: { hooks: { github: "s3cret" } },
  });
  try {
    const first = await engine.waitForLine((l) =>
      l.msg === "run finished" && l.trigger === "cron:every-second"
    );
    const second = await engine.waitForLine((l) =>
      l.msg === "run finished" && l.trigger === "cron:every-second" && l.runId !== first.runId
    );
    const gap = Date.parse(String(second.time)) - Date.parse(String(first.time));
    assert.ok(gap >= 500 && gap <= 2_000, `cron runs ${gap} ms apart`);
    const record = await json(await fetch(`${engine.url}/runs/${first.runId}`));
    assert.deepEqual((record.result as { outputs: unknown }).outputs, { echo: { from: "cron" } });
  } finally {
    await engine.cleanup();
  }
});

Deno.test("a cron trigger whose run outlasts its interval skips ticks: its runs never overlap", async () => {
  const engine = await startEngineProcess(data("triggers"), {
    secrets: { hooks: { github: "s3cret" } },
  });
  try {
    const label = "cron:long-runs";
    await engine.waitForLine((l) => l.msg === "cron tick skipped" && l.trigger === label);
    const finished = (l: Record<string, unknown>) =>
      l.msg === "run finished" && l.trigger === label;
    const first = await engine.waitForLine(finished, 10_000);
    await engine.waitForLine((l) => finished(l) && l.runId !== first.runId, 10_000);
    const runs = engine.lines.filter(finished).map((l) => {
      const end = Date.parse(String(l.time));
      return { start: end - Number(l.durationMs), end };
    });
    assert.ok(runs.length >= 2);
    for (let i = 1; i < runs.length; i++) {
      assert.ok(runs[i]!.start >= runs[i - 1]!.end - 5, `run ${i} overlaps the one before`);
      assert.ok(runs[i]!.end - runs[i]!.start >= 2_400, "each run holds 2.5 s");
    }
    const skipped = engine.lines.find((l) => l.msg === "cron tick skipped" && l.trigger === label);
    assert.equal(skipped?.reason, "the previous run of this trigger is still running");
    const metrics = await (await fetch(`${engine.url}/metrics`)).text();
    assert.match(
      metrics,
      /tntc_cron_skipped_total\{[^}]*trigger="cron:long-runs"[^}]*\} [1-9]/,
    );
  } finally {
    await engine.cleanup();
  }
});

Deno.test("a webhook with a secret accepts a valid HMAC signature and rejects a wrong one", async () => {
  const engine = await startEngineProcess(data("triggers"), {
    secrets: { hooks: { github: "s3cret" } },
  });
  try {
    const body = '{"action":"opened"}';
    const ok = await fetch(`${engine.url}/hooks/github`, {
      method: "POST",
      body,
      headers: { "X-Signature-256": await signBody("s3cret", body) },
    });
    assert.equal(ok.status, 202);
    const { runId } = await json(ok);
    let record: Record<string, unknown> = {};
    await until(async () => {
      record = await json(await fetch(`${engine.url}/runs/${runId}`));
      return record.status !== "running";
    });
    assert.equal(record.trigger, "webhook:/hooks/github");
    assert.deepEqual((record.result as { outputs: unknown }).outputs, {
      echo: { action: "opened" },
    });
    const wrong = await fetch(`${engine.url}/hooks/github`, {
      method: "POST",
      body,
      headers: { "X-Signature-256": await signBody("guessed", body) },
    });
    assert.equal(wrong.status, 401);
    assert.equal((await json(wrong)).error, "X-Signature-256 does not match the request body");
  } finally {
    await engine.cleanup();
  }
});

Deno.test("the engine refuses to start a workflow with a queue trigger, naming it", async () => {
  await assert.rejects(() => startEngineProcess(data("queue")), (err: Error) => {
    assert.match(err.message, /"msg":"cannot start the engine"/);
    assert.match(
      err.message,
      /triggers\[1\]: queue trigger \(subject \\"orders.created\\"\) is not supported by this engine yet/,
    );
    return true;
  });
});

Deno.test("the engine refuses to start when a webhook's secret is missing", async () => {
  await assert.rejects(() => startEngineProcess(data("triggers")), (err: Error) => {
    assert.match(err.message, /triggers\[1\]\.secret: secret \\"hooks.github\\" not found/);
    return true;
  });
});

Deno.test("on start the engine waits for its sidecar, refusing runs until it answers", async () => {
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "tntc-sidecar-wf-" });
  let sidecar: Deno.HttpServer | undefined;
  try {
    await Deno.mkdir(`${dir}/nodes`);
    await Deno.copyFile(data("chain3/nodes/start.ts"), `${dir}/nodes/start.ts`);
    await Deno.writeTextFile(
      `${dir}/workflow.yaml`,
      `name: with-sidecar\nversion: "1"\nsidecars:\n  - name: tool\n    image: x\n    port: ${port}\n` +
        `    healthPath: /healthz\nnodes:\n  start:\n    path: ./nodes/start.ts\n`,
    );
    const engine = await startEngineProcess(dir, { engineArgs: ["--sidecar-wait", "30s"] });
    try {
      const waiting = await engine.waitForLine((l) => l.msg === "waiting for sidecars");
      assert.deepEqual(
        (waiting.sidecars as { name: string; url: string }[])[0]?.url,
        `http://localhost:${port}/healthz`,
      );
      const notReady = await fetch(`${engine.url}/ready`);
      assert.equal(notReady.status, 503);
      const detail = await json(notReady) as { sidecars: { tool: { ready: boolean } } };
      assert.equal(detail.sidecars.tool.ready, false);
      const early = await fetch(`${engine.url}/run`, { method: "POST", body: "{}" });
      assert.equal(early.status, 503);
      assert.equal(early.headers.get("Retry-After"), "1");
      assert.equal((await json(early)).error, "engine is starting: waiting for sidecars tool");
      sidecar = Deno.serve(
        { hostname: "127.0.0.1", port, onListen: () => {} },
        (req) =>
          new Response(new URL(req.url).pathname === "/healthz" ? "ok" : "no", {
            status: new URL(req.url).pathname === "/healthz" ? 200 : 404,
          }),
      );
      await engine.waitForLine((l) => l.msg === "sidecars ready");
      assert.equal((await fetch(`${engine.url}/ready`)).status, 200);
      const res = await fetch(`${engine.url}/run`, { method: "POST", body: '{"n":2}' });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    } finally {
      await engine.cleanup();
    }
  } finally {
    await sidecar?.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
