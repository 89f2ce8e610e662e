/**
 * `tntc`: the workflow-pod CLI. `deno task tntc <command> [args]`.
 *
 * @module
 */
import engineConfig from "../deno.json" with { type: "json" };
import type { CommandIO } from "./command.ts";
import { COMMANDS } from "./commands.ts";

/**
 * Dispatches `args` to a sub-command.
 *
 * @param args Command-line arguments (`Deno.args`).
 * @param io Output streams.
 * @returns The exit code.
 */
export async function main(args: string[], io: CommandIO = consoleIO): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io.out(`tntc ${engineConfig.version} (deno ${Deno.version.deno})`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`tntc: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return 0;
  }
  return await command.run(rest, io);
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "tntc — build, check and run workflow pods",
    "",
    "Usage: tntc <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `tntc <command> --help` for a command's options, `tntc --version` for the version.",
  ].join("\n");
}

const encoder = new TextEncoder();
const consoleIO: CommandIO = {
  out: (line) => writeAll(Deno.stdout, line),
  err: (line) => writeAll(Deno.stderr, line),
};

/** Writes a whole line; `writeSync` may write only part of a large buffer. */
function writeAll(stream: { writeSync(p: Uint8Array): number }, line: string): void {
  let bytes = encoder.encode(line + "\n");
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

if (import.meta.main) {
  // `deno task tntc` runs in the repository root; paths the user typed are relative to where
  // they typed them, which the task passes as TNTC_CWD (from the task runner's INIT_CWD). Not
  // read from INIT_CWD itself, which every process the task starts inherits.
  const origin = Deno.env.get("TNTC_CWD");
  if (origin) {
    Deno.env.delete("TNTC_CWD");
    Deno.chdir(origin);
  }
  Deno.exit(await main(Deno.args));
}
