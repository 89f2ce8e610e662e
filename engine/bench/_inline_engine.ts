/**
 * The bench's reference point, as the issue states its target: "an unsandboxed in-process engine
 * of this kind". The same HTTP app (`startEngine`) and scheduler, but the nodes run inside this
 * process (`createRunner(..., { sandbox: false })`: no Workers, no isolation). Serves the
 * workflow directory `Deno.args[0]` on 127.0.0.1 with a free port and logs JSON lines to stdout
 * like the engine (the first says where it listens).
 *
 * @module
 */
import { createRunner } from "../run/mod.ts";
import { createEngineLogger } from "../server/log.ts";
import { startEngine } from "../server/serve.ts";
import { loadWorkflow } from "../spec/load.ts";
import { benchLayout } from "./_layout.ts";

const dir = Deno.args[0]!;
const temp = await Deno.makeTempDir();
const loaded = await loadWorkflow(dir);
const layout = benchLayout(loaded.dir, temp);
const log = createEngineLogger();
const runner = await createRunner(loaded, { layout, sandbox: false, log: () => {} });
const engine = await startEngine({
  workflow: loaded.workflow,
  runner,
  log,
  hostname: "127.0.0.1",
  port: 0,
  secrets: {},
  maxConcurrentRuns: 32,
  retainRuns: 1000,
  maxBodyBytes: 1024 * 1024,
  graceMs: 1000,
  sidecarWaitMs: 0,
});
Deno.addSignalListener("SIGTERM", async () => {
  await engine.shutdown("SIGTERM");
  await Deno.remove(temp, { recursive: true });
  Deno.exit(0);
});
