import { forwardSignals, localLayout, spawnLocalEngine } from "../../server/local_engine.ts";
import { loadWorkflow } from "../../spec/load.ts";
import { parseCommandArgs } from "../_args.ts";
import type { Command } from "../command.ts";
import { validateCommand } from "./validate.ts";

const USAGE = `Usage: tntc dev [dir] [--port N]

Serves <dir>'s workflow locally (default: the current directory) on http://127.0.0.1:N
(default 8080): a real engine process under the Deno flags derived from the workflow, with
the workflow dir as /app, <dir>/.tntc/shared (or $SHARED_DIR) as /shared, <dir>/.tntc/tmp
as /tmp, and secrets from <dir>/.secrets/ and <dir>/.secrets.yaml. Sets TNTC_DEV=1; sidecars
are not started (node code can check TNTC_DEV and mock them). Ctrl-C drains in-flight runs;
a second Ctrl-C cancels them.

Options:
  --port N   port on 127.0.0.1 (default 8080; 0 picks a free port, printed on start)`;

/** `tntc dev`: serve a workflow locally under its derived permissions. */
export const devCommand: Command = {
  name: "dev",
  summary: "serve a workflow locally (POST /run) under its derived Deno permissions",
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseCommandArgs(args, { port: { type: "string" } });
      if (parsed.positionals.length > 1) {
        throw new TypeError(`expected one directory, got ${parsed.positionals.length}`);
      }
    } catch (err) {
      io.err(`tntc dev: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const portText = (parsed.values.port as string | undefined) ?? "8080";
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) {
      io.err(`tntc dev: --port must be an integer from 0 to 65535, got "${portText}"`);
      return 2;
    }
    const dir = parsed.positionals[0] ?? ".";
    let loaded;
    try {
      loaded = await loadWorkflow(dir);
    } catch {
      return await validateCommand.run([dir], io);
    }
    const layout = localLayout(loaded.dir, {
      listen: `127.0.0.1:${port}`,
      ...sharedDirFromEnv(),
    });
    const { child } = await spawnLocalEngine(loaded, { layout });
    const status = await forwardSignals(child);
    return status.signal === null ? status.code : 128 + signalNumber(status.signal);
  },
};

function sharedDirFromEnv(): { sharedDir?: string } {
  const value = Deno.env.get("SHARED_DIR");
  return value ? { sharedDir: value } : {};
}

function signalNumber(signal: Deno.Signal): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}
