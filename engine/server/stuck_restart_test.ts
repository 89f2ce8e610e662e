// Real-process tests of the drain-for-restart: node code spinning in `while (true) {}` holds a
// Worker thread Deno cannot stop, so the engine refuses new runs, drains and exits with 75.
import assert from "node:assert/strict";
import { startEngineProcess } from "./_engine_process.ts";
import { EXIT_RESTART, STUCK_DRAIN_REASON } from "./stuck_drain.ts";

const stuckWorkflow = new URL("./testdata/stuck", import.meta.url).pathname;
const cli = new URL("../cli/main.ts", import.meta.url).pathname;

Deno.test("a node spinning past its timeout ends timed_out, the other run finishes (past the SIGTERM grace), then the engine drains and exits 75", async () => {
  // The honest run takes 2.5 s, longer than the grace period: a drain for restart waits for
  // runs on their own limits, not the SIGTERM grace.
  const engine = await startEngineProcess(stuckWorkflow, { engineArgs: ["--grace", "1s"] });
  try {
    const pid = engine.child.pid;
    const honest = fetch(`${engine.url}/run`, { method: "POST", body: '{"ms":2500}' });
    honest.catch(() => {}); // awaited below; a failed assertion before must not leave it unhandled
    await until(async () =>
      /tntc_runs_in_flight\{workflow="stuck"\} 1/.test(await text(`${engine.url}/metrics`))
    );
    const spun = await fetch(`${engine.url}/run`, { method: "POST", body: '{"spin":true}' });
    const stuckAt = Date.now();
    assert.equal(spun.status, 500);
    const spin = await spun.json() as { nodes: Record<string, { status: string; error: string }> };
    assert.equal(spin.nodes.spin?.status, "timed_out");
    assert.match(
      String(spin.nodes.spin?.error),
      /^timed out after 300ms; it kept its sandbox busy/,
    );
    // Its sibling shared the run's sandbox (one sandbox per run), so it went down with it.
    assert.deepEqual(spin.nodes.wait, {
      status: "cancelled",
      attempts: 0,
      durationMs: 0,
      error: 'not started: node "spin" blocked its sandbox past its timeout',
    });

    const draining = await engine.waitForLine((l) => l.msg === STUCK_DRAIN_REASON);
    // The workflow's longest run: 60 s (wait, the longest path) + 60 s for a wait in a queue.
    assert.equal(draining.graceMs, 120_000);
    const ready = await fetch(`${engine.url}/ready`);
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).reason, STUCK_DRAIN_REASON);
    const refused = await fetch(`${engine.url}/run`, { method: "POST", body: "{}" });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("Retry-After"), "1");
    assert.equal((await refused.json()).error, STUCK_DRAIN_REASON);
    assert.equal((await fetch(`${engine.url}/health`)).status, 200);
    await (await fetch(`${engine.url}/health`)).body?.cancel();
    assert.match(await text(`${engine.url}/metrics`), /tntc_sandboxes_stuck\{workflow="stuck"\} 1/);

    // The premise, seen from outside: one thread of the engine keeps a CPU busy (the
    // terminated Worker), and the engine has no child process.
    const busiest = await busiestThreadTicks(pid, 500);
    assert.ok(busiest >= 25, `busiest thread used ${busiest} clock ticks in 500 ms`);
    assert.deepEqual(await childPids(pid), []);

    const res = await honest;
    assert.equal(res.status, 200);
    const result = await res.json() as {
      success: boolean;
      outputs: { wait: { waitedMs: number } };
    };
    assert.equal(result.success, true);
    assert.ok(result.outputs.wait.waitedMs >= 2_400);

    const status = await engine.child.status;
    const exitedAfter = Date.now() - stuckAt;
    assert.equal(status.code, EXIT_RESTART);
    assert.ok(exitedAfter < 10_000, `exited ${exitedAfter} ms after the node got stuck`);
    const stopped = await engine.waitForLine((l) => l.msg === "stopped");
    assert.deepEqual(
      [stopped.reason, stopped.restart, stopped.finished, stopped.cancelled, stopped.exitCode],
      [STUCK_DRAIN_REASON, true, 1, 0, EXIT_RESTART],
    );
    // Nothing is left: the process, and with it the spinning thread, is gone.
    await assert.rejects(() => Deno.stat(`/proc/${pid}`), Deno.errors.NotFound);
  } finally {
    await engine.cleanup();
  }
});

Deno.test("SIGTERM during a drain for restart cuts it to the grace period: the long run is cancelled, exit 75", async () => {
  const engine = await startEngineProcess(stuckWorkflow, { engineArgs: ["--grace", "300ms"] });
  try {
    const long = fetch(`${engine.url}/run`, { method: "POST", body: '{"ms":30000}' });
    long.catch(() => {}); // awaited below
    await until(async () =>
      /tntc_runs_in_flight\{workflow="stuck"\} 1/.test(await text(`${engine.url}/metrics`))
    );
    await (await fetch(`${engine.url}/run`, { method: "POST", body: '{"spin":true}' })).body
      ?.cancel();
    await engine.waitForLine((l) => l.msg === STUCK_DRAIN_REASON);
    const signalledAt = Date.now();
    engine.kill("SIGTERM");
    const res = await long;
    assert.equal(res.status, 500);
    const result = await res.json() as { nodes: { wait: { status: string; error: string } } };
    assert.deepEqual(
      [result.nodes.wait.status, result.nodes.wait.error],
      ["cancelled", "run cancelled: engine is shutting down: grace period of 300 ms expired"],
    );
    const status = await engine.child.status;
    const took = Date.now() - signalledAt;
    assert.equal(status.code, EXIT_RESTART);
    assert.ok(took < 5_000, `exited ${took} ms after SIGTERM`);
    const stopped = await engine.waitForLine((l) => l.msg === "stopped");
    assert.deepEqual([stopped.finished, stopped.cancelled], [0, 1]);
  } finally {
    await engine.cleanup();
  }
});

Deno.test("tntc run exits promptly after printing the result of a run whose node spins forever", async () => {
  const started = Date.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "run", stuckWorkflow, "--input", '{"spin":true}'],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const took = Date.now() - started;
  assert.equal(out.code, 1);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(result.nodes.spin.status, "timed_out");
  assert.equal(result.nodes.wait.status, "cancelled");
  assert.ok(took < 10_000, `tntc run took ${took} ms`);
});

async function text(url: string): Promise<string> {
  return await (await fetch(url)).text();
}

/** CPU clock ticks (utime + stime) the busiest thread of `pid` used over `ms`. */
async function busiestThreadTicks(pid: number, ms: number): Promise<number> {
  const sample = async () => {
    const ticks = new Map<string, number>();
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const stat = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(task.name, Number(fields[11]) + Number(fields[12]));
    }
    return ticks;
  };
  const before = await sample();
  await new Promise((r) => setTimeout(r, ms));
  const after = await sample();
  return Math.max(...[...after].map(([tid, t]) => t - (before.get(tid) ?? t)));
}

async function childPids(pid: number): Promise<string[]> {
  const children: string[] = [];
  for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
    const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`);
    children.push(...text.trim().split(/\s+/).filter(Boolean));
  }
  return children;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
