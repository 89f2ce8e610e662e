// deno-lint-ignore-file no-console -- a bench server prints its listening line
/**
 * The bench's floor: the least an HTTP engine for this workflow can do. `Deno.serve`, parse the
 * JSON input, call the workflow's node functions in order in this process, answer every node's
 * output as JSON. No Hono, run ids, registry, metrics, logs, timeouts or isolation. It shows what the
 * machine gives at the moment of the run: the "~10,000 runs/s" for an in-process engine
 * was measured on this machine kind, and this number says whether the machine is in such a phase.
 * Serves the chain workflow directory `Deno.args[0]` on 127.0.0.1 with a free port and logs one
 * JSON line like the engine's `listening`.
 *
 * @module
 */
import { compile } from "../dag/compile.ts";
import type { NodeFunction } from "../run/mod.ts";
import { loadWorkflow } from "../spec/load.ts";

const loaded = await loadWorkflow(Deno.args[0]!);
const { order } = compile(Object.keys(loaded.workflow.nodes), loaded.workflow.edges);
const fns: [string, NodeFunction][] = [];
for (const name of order) {
  const path = new URL(loaded.workflow.nodes[name]!.path, `file://${loaded.dir}/`).href;
  fns.push([name, (await import(path)).default]);
}
const ctx = {} as Parameters<NodeFunction>[0];
let n = 0;
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  let value: unknown = await req.json();
  const outputs: Record<string, unknown> = {};
  for (const [name, fn] of fns) outputs[name] = value = await fn(ctx, value);
  return Response.json({ runId: String(++n), success: true, outputs });
});
console.log(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${server.addr.port}` }));
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
