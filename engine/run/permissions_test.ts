import assert from "node:assert/strict";
import type { EngineLayout } from "../flags/derive.ts";
import { driverArgs } from "./_test_util.ts";
import type { RunResult } from "./types.ts";

const APP = new URL("./testdata/permissions", import.meta.url).pathname;

/** Runs the permissions workflow in a real `deno run` with the flags derived for `layout`. */
async function runEngine(layout: EngineLayout, inputs: unknown[]): Promise<RunResult[]> {
  const args = await driverArgs(APP, layout, inputs);
  assert.ok(!args.includes("-A") && !args.some((a) => a === "--allow-all"));
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `engine exited ${out.code}: ${stderr}`);
  return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("nodes that overstep the derived permissions fail with a clear permission error, and the engine keeps running", async () => {
  const root = await Deno.makeTempDir({ prefix: "perm_test_" });
  try {
    const layout: EngineLayout = {
      appDir: APP,
      secretsDir: `${root}/secrets`,
      sharedDir: `${root}/shared`,
      tmpDir: `${root}/tmp`,
      listen: "127.0.0.1:18080",
    };
    await Deno.mkdir(layout.tmpDir);
    await Deno.mkdir(layout.sharedDir);
    const [attack, good] = await runEngine(layout, [
      { mode: "attack" },
      { mode: "good", tmp: layout.tmpDir },
    ]);
    assert.ok(attack && good);
    assert.equal(attack.success, false);
    const denied: Record<string, RegExp> = {
      net_host: /NotCapable: Requires net access to "example\.com:443"/,
      net_port: /NotCapable: Requires net access to "localhost:19877"/,
      read_passwd: /NotCapable: Requires read access to "\/etc\/passwd"/,
      write_outside: /NotCapable: Requires write access to ".*\/permissions\/nodes\/planted\.ts"/,
      read_env: /NotCapable: Requires env access to "HOME"/,
      spawn: /NotCapable: Requires run access to "true"/,
    };
    for (const [node, pattern] of Object.entries(denied)) {
      assert.equal(
        attack.nodes[node]?.status,
        "failed",
        `${node}: ${JSON.stringify(attack.nodes[node])}`,
      );
      assert.match(attack.errors[node] ?? "", pattern);
    }
    assert.equal(attack.nodes.declared_port?.status, "ok");
    assert.equal(attack.outputs.declared_port, "allowed (connection refused)");
    assert.equal(good.success, true, JSON.stringify(good.errors));
    assert.equal(await Deno.readTextFile(`${layout.tmpDir}/allowed.txt`), "ok");
    await assert.rejects(
      Deno.stat(new URL("./testdata/permissions/nodes/planted.ts", import.meta.url)),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
