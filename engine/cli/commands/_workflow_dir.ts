// What the commands taking a workflow directory share: loading it (or reporting why not, as
// `tntc validate` does) and the local engine layout.
import type { EngineLayout } from "../../flags/derive.ts";
import { localLayout } from "../../server/local_engine.ts";
import { type LoadedWorkflow, loadWorkflow } from "../../spec/load.ts";
import type { CommandIO } from "../command.ts";
import { reportInvalid } from "./validate.ts";

/**
 * Loads the workflow in `dir` for `tntc <command>`. When it is not valid, prints the same
 * report as `tntc validate` (every problem, with line:column; `json` for `--json`) and returns
 * the exit code, 1.
 */
export async function loadOrReport(
  command: string,
  dir: string,
  io: CommandIO,
  json = false,
): Promise<LoadedWorkflow | number> {
  try {
    return await loadWorkflow(dir);
  } catch (err) {
    return reportInvalid(command, err, json, io);
  }
}

/** The local layout of `tntc dev` and `tntc run`: the shared dir from `SHARED_DIR` if set. */
export function localLayoutFromEnv(dir: string, listen: string): EngineLayout {
  const shared = Deno.env.get("SHARED_DIR");
  return localLayout(dir, { listen, ...(shared ? { sharedDir: shared } : {}) });
}
