import assert from "node:assert/strict";
import { readPids, waitGroupGone } from "./_test_fixtures/proc.ts";
import { FIXTURE, spawnSidecar } from "./_test_fixtures/spawn.ts";

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

Deno.test("SIGTERM in a real deno run: 503 for new work, the running job finishes, exit 0", async () => {
  const p = await spawnSidecar({ SHUTDOWN_GRACE_MS: "5000" });
  try {
    const running = post(`${p.url}/sleep`, { seconds: 1 });
    await new Promise((r) => setTimeout(r, 300));
    p.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    const health = await fetch(`${p.url}/health`);
    assert.equal(health.status, 503);
    await health.body?.cancel();
    const refused = await post(`${p.url}/add`, { a: 1, b: 2 });
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error, "shutting down: not accepting new jobs");
    const done = await running;
    assert.equal(done.status, 200);
    assert.equal((await done.json()).slept, 1);
    const status = await p.exited;
    assert.equal(status.code, 0, await p.stderr);
    assert.ok(p.logs.some((l) => l.msg === "stopped"));
  } finally {
    await p.cleanup();
  }
});

Deno.test("SIGTERM past the grace period cancels the job and leaves no process of its group", async () => {
  const p = await spawnSidecar({ SHUTDOWN_GRACE_MS: "300" });
  try {
    const running = post(`${p.url}/sleep`, { seconds: 30, pid_file: "/shared/pids" });
    const [leader] = await readPids(`${p.shared}/pids`);
    p.child.kill("SIGTERM");
    const res = await running;
    assert.equal(res.status, 503);
    assert.equal((await res.json()).error, "cancelled: the sidecar is shutting down");
    const status = await p.exited;
    assert.equal(status.code, 0, await p.stderr);
    assert.deepEqual(await waitGroupGone(leader!), []);
  } finally {
    await p.cleanup();
  }
});

Deno.test("an invalid environment stops the start with every problem listed", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read", FIXTURE],
    env: { PORT: "http", MAX_CONCURRENCY: "0", BODY_LIMIT: "lots" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  // One JSON line naming every problem: no uncaught error, no stack trace.
  const err = new TextDecoder().decode(out.stderr).trim();
  assert.equal(err.split("\n").length, 1, err);
  const line = JSON.parse(err);
  assert.equal(line.msg, "cannot start the sidecar");
  assert.deepEqual(line.problems, [
    `BODY_LIMIT="lots" must be a byte size >= 1 like 1048576, 512k, 10mb or 1gb`,
    `MAX_CONCURRENCY="0" must be an integer >= 1`,
    `PORT="http" must be an integer in 0-65535`,
  ]);
});

Deno.test("a port in use stops the start with the address named, as one JSON line", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = taken.addr as Deno.NetAddr;
  const shared = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-env", "--allow-read", "--allow-net", FIXTURE],
      env: { PORT: String(port), HOST: "127.0.0.1", SHARED_DIR: shared, LOG_LEVEL: "error" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1);
    const err = new TextDecoder().decode(out.stderr).trim();
    assert.deepEqual(JSON.parse(err).problems, [
      `cannot listen on 127.0.0.1:${port}: Address already in use (os error 98); set PORT ` +
      "(or HOST) to a free address",
    ]);
    assert.equal(new TextDecoder().decode(out.stdout), "", "nothing else said");
  } finally {
    taken.close();
    await Deno.remove(shared, { recursive: true });
  }
});
