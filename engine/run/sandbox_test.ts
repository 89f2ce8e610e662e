import assert from "node:assert/strict";
import { loadWorkflow } from "../spec/load.ts";
import type { LogRecord, RunnerOptions } from "./options.ts";
import { createRunner } from "./runner.ts";
import type { WorkflowRunner } from "./types.ts";

/**
 * A sandboxed runner of `testdata/<name>` in a fresh temp layout; `prepare` may fill the temp
 * dir (e.g. secrets) before the runner starts and add runner options. Also returns the temp
 * dir, which sandboxes may write to.
 */
async function open(
  name: string,
  logs: LogRecord[] = [],
  prepare: (tmp: string) => Promise<Partial<RunnerOptions>> = () => Promise.resolve({}),
): Promise<[WorkflowRunner, () => Promise<void>, string]> {
  const dir = new URL(`./testdata/${name}`, import.meta.url).pathname;
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "sandbox_test_" }));
  const layout = {
    appDir: dir,
    secretsDir: `${tmp}/secrets`,
    sharedDir: `${tmp}/shared`,
    tmpDir: tmp,
    listen: "127.0.0.1:0",
  };
  const runner = await createRunner(await loadWorkflow(dir), {
    layout,
    log: (r) => logs.push(r),
    retryBaseMs: 10,
    ...await prepare(tmp),
  });
  return [runner, async () => {
    await runner.close();
    await Deno.remove(tmp, { recursive: true });
  }, tmp];
}

Deno.test("a CPU-bound loop times out at its timeout, its sandbox is replaced and the runner keeps serving runs", async () => {
  const [runner, done] = await open("spin");
  try {
    const started = performance.now();
    const stuck = await runner.run({ spin: true });
    const elapsed = performance.now() - started;
    assert.equal(stuck.success, false);
    assert.equal(stuck.nodes.spin?.status, "timed_out");
    assert.match(stuck.errors.spin ?? "", /timed out after 300ms; it kept its sandbox busy/);
    assert.equal(stuck.nodes.after_spin?.status, "skipped");
    assert.equal(stuck.errors.after_spin, 'skipped because parent "spin" ended timed_out');
    assert.ok(elapsed < 2_000, `took ${elapsed} ms`);
    assert.equal(runner.stats?.().stuckSandboxes, 1, "the blocked sandbox is counted");
    const fine = await runner.run({ spin: false });
    assert.equal(fine.success, true, JSON.stringify(fine.errors));
    assert.equal(fine.outputs.after_spin, "no spin");
  } finally {
    await done();
  }
});

Deno.test("a stuck run does not disturb a concurrent run in another sandbox", async () => {
  const [runner, done] = await open("spin");
  try {
    const stuck = runner.run({ spin: true });
    const others = await Promise.all([1, 2, 3].map(() => runner.run({ spin: false })));
    assert.ok(others.every((r) => r.success));
    assert.equal((await stuck).nodes.spin?.status, "timed_out");
  } finally {
    await done();
  }
});

Deno.test("async nodes time out at their own timeout whether or not they honour ctx.signal", async () => {
  const [runner, done] = await open("timeouts");
  try {
    const result = await runner.run(null);
    assert.equal(result.nodes.slow?.status, "timed_out");
    assert.equal(result.errors.slow, "timed out after 300ms");
    assert.equal(result.nodes.polite?.status, "timed_out");
    assert.equal(result.nodes.after_slow?.status, "skipped");
    assert.equal(result.outputs.sibling, "sibling done");
    assert.ok(result.timing.durationMs < 1_500, `took ${result.timing.durationMs} ms`);
    const again = await runner.run(null);
    assert.equal(again.outputs.sibling, "sibling done");
  } finally {
    await done();
  }
});

Deno.test("independent branches overlap: two 200 ms nodes finish in about 200 ms, not 400", async () => {
  const [runner, done] = await open("parallel");
  try {
    const result = await runner.run(null);
    assert.equal(result.success, true);
    const join = result.outputs.join as Record<string, { started: number; finished: number }>;
    const { left, right } = join;
    assert.ok(left && right);
    assert.ok(left.started < right.finished && right.started < left.finished, "branches overlap");
    const serial = (left.finished - left.started) + (right.finished - right.started);
    assert.ok(
      result.timing.durationMs < serial,
      `run took ${result.timing.durationMs} ms; the branches one after another take ${serial} ms`,
    );
  } finally {
    await done();
  }
});

Deno.test("cancelling a run aborts ctx.signal, ends the running node cancelled and never starts its dependents", async () => {
  const [runner, done] = await open("cancel");
  try {
    const controller = new AbortController();
    const pending = runner.run(null, { signal: controller.signal, runId: "run-to-cancel" });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    assert.equal(result.runId, "run-to-cancel");
    assert.equal(result.nodes.wait?.status, "cancelled");
    assert.equal(result.errors.wait, "run cancelled");
    assert.equal(result.nodes.then?.status, "cancelled");
    assert.equal(result.errors.then, "not started: run cancelled");
    assert.ok(result.timing.durationMs < 1_000);
  } finally {
    await done();
  }
});

Deno.test("retries recover a flaky node and a failed node's dependents are skipped with the reason", async () => {
  const logs: LogRecord[] = [];
  const [runner, done] = await open("flaky", logs);
  try {
    const result = await runner.run({ x: 1 });
    assert.deepEqual(
      result.nodes.flaky && [result.nodes.flaky.status, result.nodes.flaky.attempts],
      ["ok", 3],
    );
    assert.deepEqual(result.outputs.flaky, { succeededOn: 3 });
    // No retries of its own: config.retries (2) applies.
    assert.deepEqual(
      result.nodes.by_config && [result.nodes.by_config.status, result.nodes.by_config.attempts],
      ["ok", 3],
    );
    assert.equal(result.nodes.broken?.status, "failed");
    assert.equal(result.nodes.broken?.attempts, 2);
    assert.equal(result.errors.broken, "RangeError: broken on purpose");
    assert.equal(result.errors.after_broken, 'skipped because parent "broken" failed');
    assert.equal(result.errors.last, 'skipped because parent "after_broken" was skipped');
    assert.deepEqual(result.outputs.independent, { x: 1 });
    const retries = logs.filter((l) => l.level === "warn" && l.node === "flaky");
    assert.equal(retries.length, 2);
    assert.equal(logs.filter((l) => l.level === "warn" && l.node === "by_config").length, 2);
    assert.match(retries[0]!.msg, /^attempt 1 of 3 failed; retrying in \d+ ms$/);
  } finally {
    await done();
  }
});

Deno.test("a node starts when its own parents are done, not when every node of the level before is", async () => {
  const [runner, done] = await open("dataflow");
  try {
    const result = await runner.run({ go: 1 });
    assert.equal(result.success, true, JSON.stringify(result.errors));
    const { after_quick, slow, end } = result.nodes;
    assert.ok(after_quick?.startedAt && slow?.startedAt && end?.startedAt);
    const slowEnd = Date.parse(slow.startedAt) + slow.durationMs;
    assert.ok(
      Date.parse(after_quick.startedAt) + 200 < slowEnd,
      `after_quick started at ${after_quick.startedAt}, slow ran ${slow.startedAt} + ${slow.durationMs} ms`,
    );
    assert.ok(Date.parse(end.startedAt) >= slowEnd - 1, "end waited for both parents");
    assert.deepEqual(result.outputs.end, { after_quick: { go: 1 }, slow: "slow done" });
  } finally {
    await done();
  }
});

Deno.test("nodes get the workflow's secrets, from the mounted directory and the local file, frozen", async () => {
  const [runner, done] = await open("secrets", [], async (tmp) => {
    await Deno.mkdir(`${tmp}/secrets/api`, { recursive: true });
    await Deno.writeTextFile(`${tmp}/secrets/api/token`, "from-mount\n");
    await Deno.writeTextFile(`${tmp}/secrets/api/user`, "robot");
    await Deno.writeTextFile(`${tmp}/local.yaml`, "api:\n  token: from-local\ndb:\n  pass: pw\n");
    return { localSecretsFile: `${tmp}/local.yaml` };
  });
  try {
    const result = await runner.run(null);
    assert.equal(result.success, true, JSON.stringify(result.errors));
    assert.deepEqual(result.outputs.show, {
      secrets: { api: { token: "from-local", user: "robot" }, db: { pass: "pw" } },
      frozen: true,
    });
  } finally {
    await done();
  }
});

Deno.test("a timed-out node that ignores ctx.signal is stopped: its pending timer never fires", async () => {
  const [runner, done, tmp] = await open("leak");
  try {
    const result = await runner.run({ dir: tmp });
    assert.equal(result.nodes.late?.status, "timed_out");
    assert.equal(await Deno.readTextFile(`${tmp}/started`), "yes", "the node ran and could write");
    await new Promise((resolve) => setTimeout(resolve, 900));
    await assert.rejects(Deno.stat(`${tmp}/late`), Deno.errors.NotFound);
  } finally {
    await done();
  }
});

Deno.test("a node whose output is not JSON data fails (after its retries) and its dependents never run", async () => {
  const logs: LogRecord[] = [];
  const [runner, done] = await open("badoutput", logs);
  try {
    const result = await runner.run(null);
    assert.deepEqual(
      [result.nodes.fn_out?.status, result.nodes.fn_out?.attempts, result.errors.fn_out],
      [
        "failed",
        2,
        "the node's output is not JSON data: output.format is a function, which JSON cannot hold",
      ],
    );
    assert.equal(result.nodes.after_fn?.status, "skipped");
    assert.equal(result.outputs.after_fn, undefined);
    // A log field the sandbox cannot send is replaced, not lost with the whole message.
    assert.equal(result.outputs.deep_log, "logged");
    const line = logs.find((l) => l.msg === "a deep field");
    assert.match(String(line?.fields?.unserialisable), /call stack/);
    // A getter that throws while the output is checked fails the node at once, not stuck.
    assert.deepEqual([result.nodes.getter_out?.status, result.errors.getter_out], [
      "failed",
      "the node's output is not JSON data: output.boom could not be read: no boom today",
    ]);
    assert.ok(result.timing.durationMs < 1_500, `run took ${result.timing.durationMs} ms`);
    assert.deepEqual(runner.stats?.() && [runner.stats().busy, runner.stats().stuckSandboxes], [
      0,
      0,
    ]);
  } finally {
    await done();
  }
});

Deno.test("a run input the sandbox cannot take fails that run cleanly; the sandbox serves the next", async () => {
  const [runner, done] = await open("dataflow");
  try {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const bad = await runner.run(deep);
    assert.equal(bad.success, false);
    assert.match(bad.errors.quick ?? "", /^not started: the input cannot be sent to a sandbox: /);
    const good = await runner.run({ go: 2 });
    assert.equal(good.success, true, JSON.stringify(good.errors));
    assert.deepEqual(runner.stats?.() && [runner.stats().busy, runner.stats().queued], [0, 0]);
  } finally {
    await done();
  }
});
