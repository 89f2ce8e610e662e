import type { EngineLayout } from "../../flags/derive.ts";
import { spawnLocalEngine } from "../../server/local_engine.ts";
import { EXIT_RESTART } from "../../server/stuck_drain.ts";
import type { LoadedWorkflow } from "../../spec/load.ts";
import { parseDirArgs } from "../_args.ts";
import type { Command, CommandIO } from "../command.ts";
import { loadOrReport, localLayoutFromEnv } from "./_workflow_dir.ts";

const USAGE = `Usage: tntc dev [dir] [--port N]

Serves <dir>'s workflow locally (default: the current directory) on http://127.0.0.1:N
(default 8080): a real engine process under the Deno flags derived from the workflow, with
the workflow dir as /app, <dir>/.tntc/shared (or $SHARED_DIR) as /shared, <dir>/.tntc/tmp
as /tmp, and secrets from <dir>/.secrets/ and <dir>/.secrets.yaml. Sets TNTC_DEV=1; sidecars
are not started (node code can check TNTC_DEV and mock them). Ctrl-C drains in-flight runs;
a second Ctrl-C cancels them. When a node gets stuck in a CPU-bound loop past its timeout,
the engine drains and exits with code ${EXIT_RESTART}; tntc dev then starts it again.

Options:
  --port N   port on 127.0.0.1 (default 8080; 0 picks a free port, printed on start)`;

/** `tntc dev`: serve a workflow locally under its derived permissions. */
export const devCommand: Command = {
  name: "dev",
  summary: "serve a workflow locally (POST /run) under its derived Deno permissions",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs("dev", args, { port: { type: "string" } }, USAGE, io.err);
    if (!parsed) return 2;
    const portText = (parsed.values.port as string | undefined) ?? "8080";
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      io.err(`tntc dev: --port must be an integer from 0 to 65535, got "${portText}"`);
      return 2;
    }
    const loaded = await loadOrReport("dev", parsed.dir, io);
    if (typeof loaded === "number") return loaded;
    const layout = localLayoutFromEnv(loaded.dir, `127.0.0.1:${port}`);
    const status = await serveWithRestarts(loaded, layout, io);
    return status.signal === null ? status.code : 128 + signalNumber(status.signal);
  },
};

/**
 * Runs the engine until it stops for good: an exit with {@linkcode EXIT_RESTART} (it shed a
 * sandbox stuck in a CPU-bound loop) starts it again, unless the user asked to stop. SIGINT
 * and SIGTERM are forwarded to the engine (its own process group) for a graceful drain.
 */
async function serveWithRestarts(
  loaded: LoadedWorkflow,
  layout: EngineLayout,
  io: CommandIO,
): Promise<Deno.CommandStatus> {
  let child: Deno.ChildProcess | undefined;
  let stopping = false;
  const kill = (signal: Deno.Signal) => {
    try {
      child?.kill(signal);
    } catch {
      // Already exited.
    }
  };
  const forward = (signal: Deno.Signal) => () => {
    stopping = true;
    kill(signal);
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    for (let restarts = 1;; restarts++) {
      child = (await spawnLocalEngine(loaded, { layout })).child;
      if (stopping) kill("SIGTERM"); // the signal came while it was starting
      const status = await child.status;
      if (stopping || status.code !== EXIT_RESTART) return status;
      io.err(
        `tntc dev: the engine exited with code ${EXIT_RESTART} after a node got stuck in a ` +
          `CPU-bound loop (its thread cannot be stopped otherwise); restarting it (restart ${restarts})`,
      );
    }
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}

function signalNumber(signal: Deno.Signal): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}
