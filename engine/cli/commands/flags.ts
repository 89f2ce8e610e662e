import { derivePermissions, toDenoFlags } from "../../flags/derive.ts";
import { parseDirArgs } from "../_args.ts";
import type { Command } from "../command.ts";
import { loadOrReport } from "./_workflow_dir.ts";

const USAGE = `Usage: tntc flags [dir] [--json]

Prints the Deno permission flags the engine container runs <dir>'s workflow with:
declared dependencies, localhost:PORT per sidecar and the engine's own listen address in
--allow-net; /app and /var/run/secrets (+ /shared with sidecars) in --allow-read;
/tmp (+ /shared) in --allow-write. Nothing broader.

Options:
  --json   print { "net": [...], "read": [...], "write": [...], "flags": [...] }`;

/** `tntc flags`: show the derived Deno permission flags. */
export const flagsCommand: Command = {
  name: "flags",
  summary: "print the Deno permission flags the engine derives for a workflow",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs("flags", args, { json: { type: "boolean" } }, USAGE, io.err);
    if (!parsed) return 2;
    const loaded = await loadOrReport("flags", parsed.dir, io, parsed.values.json === true);
    if (typeof loaded === "number") return loaded;
    const { workflow } = loaded;
    const perms = derivePermissions(workflow);
    const flags = toDenoFlags(perms);
    if (parsed.values.json) io.out(JSON.stringify({ ...perms, flags }, null, 2));
    else for (const flag of flags) io.out(flag);
    return 0;
  },
};
