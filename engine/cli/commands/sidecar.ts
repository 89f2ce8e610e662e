import { scaffoldSidecar } from "@tntc/sidecar-kit";
import { isFsError, parseCommandArgs } from "../_args.ts";
import type { Command } from "../command.ts";

const USAGE = `Usage: tntc sidecar init <name> [--dir DIR] [--port N]

Creates a new sidecar in DIR (default: ./<name>) built on the sidecar kit: main.ts (one job,
a self-check), main_test.ts (its tests plus the kit's conformance check), deno.json, a
Dockerfile (tini as PID 1, uid 65534, read-only root) and README.md. The generated tests pass
as generated: cd DIR && deno test -A. <name> must match [a-z][a-z0-9_-]*; --port (default
9000) must be 1024-65535 and not 8080 (the engine's).`;

/** `tntc sidecar init`: scaffold a new native-tool sidecar. */
export const sidecarCommand: Command = {
  name: "sidecar",
  summary: "create a new sidecar (native tool behind HTTP) whose tests pass as generated",
  usage: USAGE,
  async run(args, io) {
    let name: string;
    let dir: string;
    let port = 9000;
    try {
      const parsed = parseCommandArgs(args, {
        dir: { type: "string" },
        port: { type: "string" },
      });
      const [sub, ...rest] = parsed.positionals;
      if (sub !== "init") {
        throw new TypeError(
          sub === undefined
            ? "expected a sub-command: init"
            : `unknown sub-command "${sub}": use init`,
        );
      }
      if (rest.length !== 1) throw new TypeError("expected exactly one <name>");
      name = rest[0]!;
      const rawPort = parsed.values.port as string | undefined;
      if (rawPort !== undefined) {
        if (!/^\d+$/.test(rawPort)) throw new TypeError(`--port "${rawPort}" is not a number`);
        port = Number(rawPort);
      }
      dir = (parsed.values.dir as string | undefined) ?? name;
    } catch (err) {
      io.err(`tntc sidecar: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    try {
      const r = await scaffoldSidecar({ name, dir, port });
      io.out(`created ${dir}/ (${r.files.join(", ")})`);
      io.out(
        `next: cd ${r.dir} && deno test -A && mkdir -p /tmp/shared && ` +
          "SHARED_DIR=/tmp/shared HOST=127.0.0.1 deno task start",
      );
      return 0;
    } catch (err) {
      if (err instanceof TypeError) {
        io.err(`tntc sidecar: ${err.message.replaceAll("\n", "\ntntc sidecar: ")}`);
        return 2;
      }
      if (err instanceof Deno.errors.AlreadyExists) {
        io.err(`tntc sidecar: ${err.message}; choose another --dir`);
        return 1;
      }
      if (!isFsError(err)) throw err;
      io.err(`tntc sidecar: cannot create ${dir}: ${err.message}; choose another --dir`);
      return 1;
    }
  },
};
