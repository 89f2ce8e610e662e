import assert from "node:assert/strict";
import { runProcess } from "./process.ts";
import { ProcessError } from "./process_error.ts";
import { processesInGroup, readPids } from "./_test_fixtures/proc.ts";

const FORK = new URL("./_test_fixtures/fork_children.sh", import.meta.url).pathname;

Deno.test("runProcess() captures stdout and stderr of a real binary", async () => {
  const r = await runProcess(["sh", "-c", "echo out; echo err >&2"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "out\n");
  assert.equal(r.stderr, "err\n");
  assert.equal(r.stdoutTruncated, false);
});

Deno.test("runProcess() passes argv verbatim, never through a shell", async () => {
  const r = await runProcess(["echo", "$HOME; rm -rf /", "`id`"]);
  assert.equal(r.stdout, "$HOME; rm -rf / `id`\n");
});

Deno.test("runProcess() rejects a non-zero exit with the exit code and stderr tail", async () => {
  const err = await runProcess(["sh", "-c", "echo first >&2; echo 'bad input' >&2; exit 3"])
    .then(() => undefined, (e) => e);
  assert.ok(err instanceof ProcessError);
  assert.equal(err.reason, "exit");
  assert.equal(err.code, 3);
  assert.equal(err.stderrTail, "first\nbad input\n");
  assert.equal(err.message, "sh exited with code 3: bad input");
});

Deno.test("runProcess() with check:false returns a failed result instead of throwing", async () => {
  const r = await runProcess(["sh", "-c", "exit 7"], { check: false });
  assert.equal(r.code, 7);
});

Deno.test("runProcess() names a missing binary", async () => {
  const err = await runProcess(["no-such-binary-xyz"]).then(() => undefined, (e) => e);
  assert.ok(err instanceof ProcessError);
  assert.equal(err.reason, "spawn");
  assert.match(err.message, /no-such-binary-xyz could not be started: not found/);
});

Deno.test("runProcess() kills a real sleep on timeout and reports it", async () => {
  const t0 = performance.now();
  const err = await runProcess(["sleep", "30"], { timeoutMs: 200 }).then(() => undefined, (e) => e);
  assert.ok(err instanceof ProcessError);
  assert.equal(err.reason, "timeout");
  assert.equal(err.signal, "SIGTERM");
  assert.match(err.message, /sleep timed out after 200 ms/);
  assert.ok(performance.now() - t0 < 5000, "did not wait for the sleep");
});

Deno.test("runProcess() timeout kills the whole process group, grandchildren ignoring SIGTERM included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = runProcess([FORK, `${dir}/pids`], { timeoutMs: 300, killGraceMs: 200 });
    const [leader, child] = await readPids(`${dir}/pids`);
    assert.ok(processesInGroup(leader!).length >= 3, "leader and two grandchildren are running");
    const err = await run.then(() => undefined, (e) => e);
    assert.equal(err?.reason, "timeout");
    // Settled only once the group is gone: nothing to wait for after the rejection.
    assert.deepEqual(processesInGroup(leader!), [], "no process left in the group");
    assert.equal(processesInGroup(leader!).includes(child!), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runProcess() abort kills the process group and rejects with reason aborted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ac = new AbortController();
    const run = runProcess([FORK, `${dir}/pids`], { signal: ac.signal, killGraceMs: 100 });
    const [leader] = await readPids(`${dir}/pids`);
    ac.abort(new Error("client went away"));
    const err = await run.then(() => undefined, (e) => e);
    assert.ok(err instanceof ProcessError);
    assert.equal(err.reason, "aborted");
    assert.deepEqual(processesInGroup(leader!), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runProcess() sweeps grandchildren left behind by a leader that exited", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const err = await runProcess([FORK, `${dir}/pids`, "5"]).then(() => undefined, (e) => e);
    assert.equal(err?.code, 5);
    const [leader] = await readPids(`${dir}/pids`);
    assert.deepEqual(processesInGroup(leader!), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runProcess() keeps only the tail of a huge output", async () => {
  const r = await runProcess(["sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' a; echo END"], {
    maxOutputBytes: 1000,
  });
  assert.equal(r.stdout.length, 1000);
  assert.ok(r.stdout.endsWith("aaaEND\n"));
  assert.equal(r.stdoutTruncated, true);
});

Deno.test("runProcess() calls the line callback per line, including \\r-terminated ones", async () => {
  const lines: string[] = [];
  await runProcess([
    "sh",
    "-c",
    "printf 'frame=1\\nframe=2\\r\\nprogress=end\\n'; printf 'a\\rb\\r' >&2",
  ], {
    onStdoutLine: (l) => lines.push(`out:${l}`),
    onStderrLine: (l) => lines.push(`err:${l}`),
  });
  assert.deepEqual(lines.filter((l) => l.startsWith("out:")), [
    "out:frame=1",
    "out:frame=2",
    "out:progress=end",
  ]);
  assert.deepEqual(lines.filter((l) => l.startsWith("err:")), ["err:a", "err:b"]);
});

Deno.test("runProcess() feeds stdin from a string", async () => {
  const r = await runProcess(["tr", "a-z", "A-Z"], { stdin: "shout" });
  assert.equal(r.stdout, "SHOUT");
});
