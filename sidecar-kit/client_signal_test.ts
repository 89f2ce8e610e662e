import assert from "node:assert/strict";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";
import { processesInGroup, readPids } from "./_test_fixtures/proc.ts";
import { spawnSidecar } from "./_test_fixtures/spawn.ts";

// The kit learns that a client went away from `request.signal`, the only signal Deno.serve
// fires while a handler is still pending (`info.completed` settles only once it returned).
// Deno 2.9 also aborts that signal after every *successful* response ("legacy behavior",
// warned once per process) unless run with --unstable-no-legacy-abort. These tests show the
// kit labels jobs correctly in both modes: it stops listening before a response completes.

const LEGACY_WARNING = "request.signal aborts on successful responses (legacy behavior)";

/** Sends a job over a raw TCP connection and closes it once `ready` settled (a client leaving). */
async function postAndLeave(port: number, path: string, body: string, ready: () => Promise<void>) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
    `content-length: ${new TextEncoder().encode(body).length}\r\n\r\n`;
  await conn.write(new TextEncoder().encode(head + body));
  await ready();
  conn.close();
}

Deno.test("streamed body jobs read to the end count as succeeded on a real server, never cancelled", async () => {
  await using t = await startTestSidecar(demo, { listen: true });
  const big = "a".repeat(2 * 1024 * 1024);
  for (let i = 0; i < 10; i++) {
    const counted = await fetch(`${t.url}/count`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Blob([big]).stream(), // chunked upload, streamed answer
    });
    assert.equal((await counted.text()).trim(), String(big.length));
    const upper = await fetch(`${t.url}/upper`, { method: "POST", body: "shout" });
    assert.equal(await upper.text(), "SHOUT");
  }
  await new Promise((r) => setTimeout(r, 50)); // let any late abort land
  const metrics = await (await fetch(`${t.url}/metrics`)).text();
  assert.match(metrics, /sidecar_jobs_total\{job="count",outcome="succeeded",sidecar="demo"\} 10/);
  assert.match(metrics, /sidecar_jobs_total\{job="upper",outcome="succeeded",sidecar="demo"\} 10/);
  assert.doesNotMatch(metrics, /outcome="cancelled"/);
});

for (const flags of [[], ["--unstable-no-legacy-abort"]]) {
  const mode = flags.length ? "with --unstable-no-legacy-abort" : "in Deno's default mode";
  Deno.test(`a real deno run ${mode}: finished jobs succeed, a client that leaves cancels`, async () => {
    const p = await spawnSidecar({ LOG_LEVEL: "info" }, flags);
    try {
      const port = Number(new URL(p.url).port);
      const counted = await fetch(`${p.url}/count`, { method: "POST", body: "x".repeat(100_000) });
      assert.equal((await counted.text()).trim(), "100000");
      let leader = 0;
      await postAndLeave(port, "/sleep", `{"seconds":30,"pid_file":"/shared/pids"}`, async () => {
        [leader = 0] = await readPids(`${p.shared}/pids`);
      });
      let sleepLine: Record<string, unknown> | undefined;
      for (let i = 0; i < 200 && !sleepLine; i++) {
        await new Promise((r) => setTimeout(r, 25));
        sleepLine = p.logs.find((l) => l.msg === "job finished" && l.job === "sleep");
      }
      // "job finished" is logged after the job's process group is gone.
      assert.deepEqual(processesInGroup(leader), []);
      assert.equal(sleepLine?.outcome, "cancelled");
      assert.equal(sleepLine?.error, "cancelled: the client closed the request");
      const countLine = p.logs.find((l) => l.msg === "job finished" && l.job === "count");
      assert.equal(countLine?.outcome, "succeeded");
      p.child.kill("SIGTERM");
      assert.equal((await p.exited).code, 0);
      assert.equal((await p.stderr).includes(LEGACY_WARNING), flags.length === 0);
    } finally {
      await p.cleanup();
    }
  });
}
