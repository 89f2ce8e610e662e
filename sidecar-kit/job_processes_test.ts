import assert from "node:assert/strict";
import { z } from "zod";
import { bodyJob, defineSidecar, job } from "./define.ts";
import { pipeProcess } from "./pipe_process.ts";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";
import { processesInGroup, readPids } from "./_test_fixtures/proc.ts";
import { spawnSidecar } from "./_test_fixtures/spawn.ts";

// fork_children.sh ignores SIGTERM (and so do its two grandchildren): only the SIGKILL that
// follows the 1 s grace ends the group. Each check reads /proc right when the answer arrives.
const FORK = new URL("./_test_fixtures/fork_children.sh", import.meta.url).pathname;
const ASYNC = { prefer: "respond-async" };

Deno.test("a 504 is answered only after the job's whole process group is gone", async () => {
  await using t = await startTestSidecar(demo, { env: { JOB_TIMEOUT_MS: "300" } });
  const res = t.postJson("sleep", { seconds: 30, pid_file: "/shared/pids" });
  const [leader, grandchild] = await readPids(`${t.sharedDir}/pids`);
  assert.ok(processesInGroup(leader!).length >= 3, "leader and two grandchildren run");
  const answer = await res;
  const left = processesInGroup(leader!);
  assert.equal(answer.status, 504);
  assert.deepEqual(await answer.json(), { error: "job timed out after 300 ms", timeout_ms: 300 });
  assert.deepEqual(left, [], "no process of the group is left when the 504 arrives");
  assert.equal(processesInGroup(leader!).includes(grandchild!), false);
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("a 499 for a client that went away is answered after the process group is gone", async () => {
  await using t = await startTestSidecar(demo);
  const ac = new AbortController();
  const res = t.request("/sleep", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ seconds: 30, pid_file: "/shared/pids" }),
    signal: ac.signal,
  });
  const [leader] = await readPids(`${t.sharedDir}/pids`);
  ac.abort();
  const answer = await res;
  assert.deepEqual(processesInGroup(leader!), []);
  assert.equal(answer.status, 499);
  assert.equal((await answer.json()).error, "cancelled: the client closed the request");
});

Deno.test("DELETE /jobs/:id answers the final cancelled state once the processes are gone", async () => {
  await using t = await startTestSidecar(demo);
  const submitted = await t.postJson("sleep", { seconds: 30, pid_file: "/shared/pids" }, ASYNC);
  const { id } = await submitted.json();
  const [leader] = await readPids(`${t.sharedDir}/pids`);
  const del = await t.request(`/jobs/${id}`, { method: "DELETE" });
  assert.deepEqual(processesInGroup(leader!), []);
  assert.equal(del.status, 200);
  const state = await del.json();
  assert.equal(state.id, id);
  assert.equal(state.status, "cancelled");
  assert.equal(state.error.error, "cancelled: DELETE /jobs/:id");
  assert.equal(typeof state.finished_at, "string");
});

Deno.test("a body job's 504 waits for the piped tool's process group too", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sidecar = defineSidecar({
      name: "pipes",
      jobs: {
        hang: bodyJob({
          accept: ["*/*"],
          timeoutMs: 300,
          run: (body, ctx) => ctx.pipe([FORK, `${dir}/pids`], { stdin: body }),
        }),
      },
    });
    await using t = await startTestSidecar(sidecar);
    const res = t.request("/hang", { method: "POST", body: "x" });
    const [leader] = await readPids(`${dir}/pids`);
    const answer = await res;
    assert.deepEqual(processesInGroup(leader!), []);
    assert.equal(answer.status, 504);
    assert.equal((await answer.json()).error, "job timed out after 300 ms");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("processes a job left running when it returned are killed before its answer", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sidecar = defineSidecar({
      name: "leaky",
      jobs: {
        leak: job({
          input: z.object({}),
          run: async (_input, ctx) => {
            ctx.exec([FORK, `${dir}/pids`]); // never awaited
            const [leader] = await readPids(`${dir}/pids`);
            return { leader };
          },
        }),
      },
    });
    await using t = await startTestSidecar(sidecar);
    const res = await t.postJson("leak", {});
    assert.equal(res.status, 200);
    const { leader } = await res.json();
    assert.deepEqual(processesInGroup(leader), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cancelling a pipeProcess() stream settles once the process group is gone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = pipeProcess([FORK, `${dir}/pids`], { killGraceMs: 100 });
    const [leader] = await readPids(`${dir}/pids`);
    await out.cancel();
    assert.deepEqual(processesInGroup(leader!), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Pids of running `<dir>/<name> ...args` processes (the tool as spawned by PATH lookup). */
function processesRunning(name: string, args: string[]): number[] {
  const found: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const [bin, ...rest] = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0").slice(
        0,
        -1,
      );
      if (bin?.split("/").pop() === name && rest.join(" ") === args.join(" ")) {
        found.push(Number(e.name));
      }
    } catch { /* exited meanwhile */ }
  }
  return found;
}

Deno.test("with --allow-run limited to a list, a 504 still kills the tool (not via its group)", async () => {
  const p = await spawnSidecar({ JOB_TIMEOUT_MS: "300" }, ["--allow-run=sh,sleep"]);
  try {
    const seconds = 29 + Math.round(Math.random() * 1000) / 1000; // a command line to find
    const running = () => processesRunning("sleep", [String(seconds)]);
    const res = fetch(`${p.url}/sleep`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seconds }),
    });
    for (let i = 0; i < 100 && running().length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(running().length, 1, "the tool runs");
    const answer = await res;
    assert.deepEqual(running(), [], "the tool is gone when the 504 arrives");
    assert.equal(answer.status, 504);
    assert.equal((await answer.json()).error, "job timed out after 300 ms");
    assert.ok(p.logs.some((l) => l.level === "warn" && String(l.msg).includes("--allow-run")));
  } finally {
    await p.cleanup();
  }
});
