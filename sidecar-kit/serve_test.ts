import assert from "node:assert/strict";
import { readPids, waitGroupGone } from "./_test_fixtures/proc.ts";

const FIXTURE = new URL("./_test_fixtures/demo_sidecar.ts", import.meta.url).pathname;

interface Proc {
  child: Deno.ChildProcess;
  url: string;
  shared: string;
  logs: Record<string, unknown>[];
  stderr: Promise<string>;
  exited: Promise<Deno.CommandStatus>;
  cleanup(): Promise<void>;
}

/** Starts the demo sidecar as a real `deno run` subprocess with scoped permissions. */
async function spawnSidecar(env: Record<string, string>): Promise<Proc> {
  const shared = await Deno.realPath(await Deno.makeTempDir({ prefix: "serve-shared-" }));
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "serve-tmp-" }));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      `--allow-write=${shared},${tmp}`,
      "--allow-run",
      FIXTURE,
    ],
    env: { SHARED_DIR: shared, TMPDIR: tmp, HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: Record<string, unknown>[] = [];
  const stderr = new Response(child.stderr).text();
  const exited = child.status;
  let resolveUrl!: (u: string) => void;
  const urlP = new Promise<string>((r) => resolveUrl = r);
  let port = 0;
  (async () => {
    let buf = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const rec = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        logs.push(rec);
        if (rec.msg === "listening") port = rec.port;
        if (rec.msg === "self-check passed: ready") resolveUrl(`http://127.0.0.1:${port}`);
      }
    }
  })();
  const url = await Promise.race([
    urlP,
    exited.then(async () => {
      throw new Error(`sidecar exited early: ${await stderr}`);
    }),
  ]);
  return {
    child,
    url,
    shared,
    logs,
    stderr,
    exited,
    cleanup: async () => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await exited;
      await Deno.remove(shared, { recursive: true });
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

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
  assert.notEqual(out.code, 0);
  const err = new TextDecoder().decode(out.stderr);
  assert.match(err, /invalid sidecar environment/);
  assert.match(err, /BODY_LIMIT="lots" must be a byte size >= 1 like 1048576, 512k, 10mb or 1gb/);
  assert.match(err, /MAX_CONCURRENCY="0" must be an integer >= 1/);
  assert.match(err, /PORT="http" must be an integer in 0-65535/);
});
