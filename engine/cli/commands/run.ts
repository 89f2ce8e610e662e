import { forwardSignals, spawnLocalEngine } from "../../server/local_engine.ts";
import { parseRunInput } from "../../run/json_data.ts";
import { parseDirArgs } from "../_args.ts";
import type { Command, CommandIO } from "../command.ts";
import { loadOrReport, localLayoutFromEnv } from "./_workflow_dir.ts";

const USAGE = `Usage: tntc run [dir] [--input '<json>']

Runs <dir>'s workflow once (default: the current directory) in a real engine process under
the Deno flags derived from the workflow (same local layout as \`tntc dev\`, TNTC_DEV=1) and
prints the RunResult JSON. Engine log lines go to stderr. Exits 0 when the run succeeded,
1 when it failed.

Options:
  --input <json>   the trigger input (default {})`;

/** `tntc run`: one sandboxed run, result JSON on stdout. */
export const runCommand: Command = {
  name: "run",
  summary: "run a workflow once under its derived Deno permissions; print the result JSON",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs("run", args, { input: { type: "string" } }, USAGE, io.err);
    if (!parsed) return 2;
    const input = (parsed.values.input as string | undefined) ?? "{}";
    try {
      parseRunInput(input, "--input");
    } catch (err) {
      io.err(`tntc run: ${(err as Error).message}`);
      return 2;
    }
    const loaded = await loadOrReport("run", parsed.dir, io);
    if (typeof loaded === "number") return loaded;
    const layout = localLayoutFromEnv(loaded.dir, "127.0.0.1:0");
    const { child } = await spawnLocalEngine(loaded, {
      layout,
      engineArgs: ["--once"],
      stdio: { stdin: "piped", stdout: "piped", stderr: "piped" },
    });
    const exited = forwardSignals(child);
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
    const [out] = await Promise.all([
      new Response(child.stdout).text(),
      pipeLines(child.stderr, io),
    ]);
    const status = await exited;
    if (out.trim() !== "") io.out(out.trimEnd());
    return status.code === 0 ? 0 : status.code === 2 ? 2 : 1;
  },
};

async function pipeLines(stream: ReadableStream<Uint8Array>, io: CommandIO): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) io.err(line);
  }
  if (rest !== "") io.err(rest);
}
