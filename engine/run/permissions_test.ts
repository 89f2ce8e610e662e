// The sandbox's permissions, proven on the real product: `engine/main.ts` started as a `deno
// run` subprocess with exactly the flags `engineCommand` derives (never -A), driven over HTTP.
import assert from "node:assert/strict";
import { startEngineProcess } from "../server/_engine_process.ts";
import type { RunResult } from "./types.ts";

const APP = new URL("./testdata/permissions", import.meta.url).pathname;

/** What each attacking node is denied, as its node error says it. */
const DENIED: Record<string, RegExp> = {
  net_host: /NotCapable: Requires net access to "example\.com:443"/,
  net_port: /NotCapable: Requires net access to "localhost:19877"/,
  read_passwd: /NotCapable: Requires read access to "\/etc\/passwd"/,
  write_outside: /NotCapable: Requires write access to ".*\/permissions\/nodes\/planted\.ts"/,
  read_env: /NotCapable: Requires env access to "HOME"/,
  spawn: /NotCapable: Requires run access to "true"/,
};

async function post(url: string, input: unknown): Promise<[number, RunResult]> {
  const res = await fetch(`${url}/run`, { method: "POST", body: JSON.stringify(input) });
  return [res.status, await res.json() as RunResult];
}

Deno.test("nodes that overstep the derived permissions fail with a clear permission error, and the engine keeps serving", async () => {
  // The declared sidecar (port 19876) never comes up here: skip the start-up wait for it.
  const engine = await startEngineProcess(APP, { engineArgs: ["--sidecar-wait", "0s"] });
  try {
    assert.ok(!engine.argv.some((a) => a === "-A" || a === "--allow-all"), engine.argv.join(" "));
    const [status, attack] = await post(engine.url, { mode: "attack" });
    assert.equal(status, 500);
    assert.equal(attack.success, false);
    for (const [node, pattern] of Object.entries(DENIED)) {
      assert.equal(
        attack.nodes[node]?.status,
        "failed",
        `${node}: ${JSON.stringify(attack.nodes[node])}`,
      );
      assert.match(attack.errors[node] ?? "", pattern);
    }
    // The declared sidecar port is allowed: refused (nothing listens), not denied.
    assert.equal(attack.nodes.declared_port?.status, "ok");
    assert.equal(attack.outputs.declared_port, "allowed (connection refused)");
    await assert.rejects(Deno.stat(`${APP}/nodes/planted.ts`), Deno.errors.NotFound);

    // The same engine, same process, serves the next run; writes to its tmp dir are allowed.
    const [goodStatus, good] = await post(engine.url, { mode: "good", tmp: engine.layout.tmpDir });
    assert.equal(goodStatus, 200, JSON.stringify(good.errors));
    assert.equal(good.success, true);
    assert.equal(await Deno.readTextFile(`${engine.layout.tmpDir}/allowed.txt`), "ok");
    const health = await fetch(`${engine.url}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await engine.cleanup();
  }
});
