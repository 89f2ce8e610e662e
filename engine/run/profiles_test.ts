// Per-node permission profiles, proven in a real `deno run` engine process with the exact flags
// derived from the workflow: a node that lists its sidecars/dependencies reaches only those
// hosts, a node without lists reaches all the workflow declares.
import assert from "node:assert/strict";
import type { EngineLayout } from "../flags/derive.ts";
import { driverArgs } from "./_test_util.ts";
import type { RunResult } from "./types.ts";

/** A loopback server answering its name (and 200 on /health). */
function serve(name: string, port = 0): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (req) => Response.json({ from: name, path: new URL(req.url).pathname }),
  );
}

/** A port nothing listens on (yet). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

function workflowYaml(ports: Record<string, number>): string {
  return `name: profiles
version: "1"
sidecars:
  - { name: a, image: example/a:1, port: ${ports.a} }
  - { name: b, image: example/b:1, port: ${ports.b} }
  - { name: late, image: example/late:1, port: ${ports.late} }
contract:
  version: "1"
  dependencies:
    x: { protocol: http, host: 127.0.0.1, port: ${ports.x} }
    y: { protocol: http, host: 127.0.0.1, port: ${ports.y} }
nodes:
  only_a: { path: ./probe.ts, sidecars: [a], dependencies: [] }
  only_x: { path: ./probe.ts, sidecars: [], dependencies: [x] }
  everything: { path: ./probe.ts }
  waits_for_late: { path: ./late.ts, sidecars: [late], dependencies: [] }
`;
}

// Tries every host with plain fetch and through ctx; reports "from <name>" or the error.
const PROBE = `export default async function run(ctx, input) {
  if (input.mode !== "probe") return null;
  const out = {};
  const attempt = async (key, call) => {
    try {
      out[key] = "from " + (await call()).from;
    } catch (e) {
      out[key] = e.name + ": " + e.message.split(", run again")[0];
    }
  };
  for (const [name, port] of Object.entries(input.ports)) {
    const host = name === "x" || name === "y" ? "127.0.0.1" : "localhost";
    await attempt("fetch " + name, async () => (await fetch("http://" + host + ":" + port + "/")).json());
  }
  await attempt("ctx.sidecar a", () => ctx.sidecar("a").json("/"));
  await attempt("ctx.sidecar b", () => ctx.sidecar("b").json("/"));
  await attempt("ctx.fetch x", async () => (await ctx.fetch("x", "/")).json());
  await attempt("ctx.fetch y", async () => (await ctx.fetch("y", "/")).json());
  return out;
}
`;

// Calls a sidecar that is not up yet; the test starts it once this node says it is calling.
const LATE = `export default async function run(ctx, input) {
  if (input.mode !== "late") return null;
  ctx.log.info("calling late");
  return await ctx.sidecar("late").json("/hello");
}
`;

interface Engine {
  results: Promise<RunResult[]>;
  /** Resolves when a log line with this message appears on the engine's stderr. */
  logged(msg: string): Promise<void>;
  kill(): void;
}

/** Starts the engine driver under the flags derived for `layout`, with one run per input. */
async function startEngine(dir: string, layout: EngineLayout, inputs: unknown[]): Promise<Engine> {
  const args = await driverArgs(dir, layout, inputs);
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .spawn();
  const waiting = new Map<string, () => void>();
  const stderr: string[] = [];
  const drained = (async () => {
    let rest = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        stderr.push(line);
        for (const [msg, resolve] of waiting) if (line.includes(`"msg":"${msg}"`)) resolve();
      }
    }
  })();
  const results = (async () => {
    const out = await new Response(child.stdout).text();
    const status = await child.status;
    await drained;
    assert.equal(status.code, 0, `engine exited ${status.code}:\n${stderr.join("\n")}`);
    return out.trim().split("\n").map((line) => JSON.parse(line) as RunResult);
  })();
  return {
    results,
    logged: (msg) => new Promise((resolve) => waiting.set(msg, resolve)),
    kill: () => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    },
  };
}

Deno.test("a node listing its sidecars and dependencies reaches only those hosts; one without lists reaches all", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "profiles_test_" }));
  const servers = Object.fromEntries(["a", "b", "x", "y"].map((n) => [n, serve(n)]));
  const ports = Object.fromEntries(
    Object.entries(servers).map(([n, s]) => [n, s.addr.port]),
  ) as Record<string, number>;
  const latePort = freePort();
  let late: Deno.HttpServer | undefined;
  let engine: Engine | undefined;
  try {
    await Deno.writeTextFile(`${root}/workflow.yaml`, workflowYaml({ ...ports, late: latePort }));
    await Deno.writeTextFile(`${root}/probe.ts`, PROBE);
    await Deno.writeTextFile(`${root}/late.ts`, LATE);
    await Deno.mkdir(`${root}/tmp`);
    const layout: EngineLayout = {
      appDir: root,
      secretsDir: `${root}/secrets`,
      sharedDir: `${root}/shared`,
      tmpDir: `${root}/tmp`,
      listen: "127.0.0.1:0",
    };
    engine = await startEngine(root, layout, [{ mode: "probe", ports }, { mode: "late" }]);
    await engine.logged("calling late");
    await new Promise((resolve) => setTimeout(resolve, 300));
    late = serve("late", latePort);
    const [probe, waited] = await engine.results;
    assert.ok(probe && waited);
    const denied = (host: string) => `NotCapable: Requires net access to "${host}"`;
    const notListed = (kind: string, node: string, name: string, list: string) =>
      kind === "sidecar"
        ? `ReferenceError: node "${node}" may not call sidecar "${name}": its sidecars list is [${list}]`
        : `ReferenceError: node "${node}" may not use dependency "${name}": its dependencies list is [${list}]`;
    assert.deepEqual(probe.outputs.only_a, {
      "fetch a": "from a",
      "fetch b": denied(`localhost:${ports.b}`),
      "fetch x": denied(`127.0.0.1:${ports.x}`),
      "fetch y": denied(`127.0.0.1:${ports.y}`),
      "ctx.sidecar a": "from a",
      "ctx.sidecar b": notListed("sidecar", "only_a", "b", "a"),
      "ctx.fetch x": notListed("dependency", "only_a", "x", ""),
      "ctx.fetch y": notListed("dependency", "only_a", "y", ""),
    });
    assert.deepEqual(probe.outputs.only_x, {
      "fetch a": denied(`localhost:${ports.a}`),
      "fetch b": denied(`localhost:${ports.b}`),
      "fetch x": "from x",
      "fetch y": denied(`127.0.0.1:${ports.y}`),
      "ctx.sidecar a": notListed("sidecar", "only_x", "a", ""),
      "ctx.sidecar b": notListed("sidecar", "only_x", "b", ""),
      "ctx.fetch x": "from x",
      "ctx.fetch y": notListed("dependency", "only_x", "y", "x"),
    });
    assert.deepEqual(probe.outputs.everything, {
      "fetch a": "from a",
      "fetch b": "from b",
      "fetch x": "from x",
      "fetch y": "from y",
      "ctx.sidecar a": "from a",
      "ctx.sidecar b": "from b",
      "ctx.fetch x": "from x",
      "ctx.fetch y": "from y",
    });
    assert.equal(waited.nodes.waits_for_late?.status, "ok", JSON.stringify(waited.errors));
    assert.deepEqual(waited.outputs.waits_for_late, { from: "late", path: "/hello" });
  } finally {
    engine?.kill();
    await engine?.results.catch(() => {});
    await Promise.all(
      [...Object.values(servers), ...(late ? [late] : [])].map((s) => s.shutdown()),
    );
    await Deno.remove(root, { recursive: true });
  }
});
