import { formatPath, WorkflowSyntaxError, WorkflowValidationError } from "../../spec/errors.ts";
import { NodeLoadError } from "../../run/node_load_error.ts";
import { createRunner } from "../../run/runner.ts";
import { type LoadedWorkflow, loadWorkflow, WORKFLOW_FILE } from "../../spec/load.ts";
import { isFsError, parseDirArgs } from "../_args.ts";
import type { Command, CommandIO } from "../command.ts";

const USAGE = `Usage: tntc validate [dir] [--json]

Checks <dir>/workflow.yaml (default: the current directory) and every node file it names:
that it exists and loads as the engine loads it (in a sandbox with the workflow's
permissions: syntax errors, missing imports, a default export that is not a function).
Prints each problem as workflow.yaml:LINE:COL: message; exits 0 when valid, 1 when not.

Options:
  --json   print { "valid": bool, "errors": [{ "message", "line", "column", "path" }] }`;

/** `tntc validate`: report every problem in a workflow at once. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check workflow.yaml and its node files; print every problem with line:column",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs("validate", args, { json: { type: "boolean" } }, USAGE, io.err);
    if (!parsed) return 2;
    const { dir } = parsed;
    const json = parsed.values.json === true;
    try {
      const loaded = await loadWorkflow(dir);
      await assertNodesLoad(loaded);
      const { workflow } = loaded;
      const nodes = Object.keys(workflow.nodes).length;
      const sidecars = workflow.sidecars?.length ?? 0;
      if (json) {
        io.out(JSON.stringify({ valid: true, name: workflow.name, nodes, sidecars, errors: [] }));
      } else {io.out(
          `${WORKFLOW_FILE}: ok — workflow "${workflow.name}", ${nodes} node(s), ${sidecars} sidecar(s)`,
        );}
      return 0;
    } catch (err) {
      return reportInvalid("validate", err, json, io);
    }
  },
};

/**
 * Prints why a workflow could not be loaded, as `tntc validate` does (every problem with
 * line:column, or one line naming the command); returns the exit code, 1.
 *
 * @param command The command that loaded it, for lines without a position.
 * @param err What `loadWorkflow` threw.
 * @param json Print the `--json` report instead.
 * @param io Where to print.
 * @returns 1.
 * @throws `err` itself when it is not about the workflow (a bug, a broken environment).
 */
export function reportInvalid(
  command: string,
  err: unknown,
  json: boolean,
  io: CommandIO,
): number {
  let errors: { message: string; line: number; column: number; path: string }[];
  if (err instanceof WorkflowValidationError) {
    errors = err.issues.map((i) => ({
      message: i.message,
      line: i.line,
      column: i.column,
      path: formatPath(i.path),
    }));
  } else if (err instanceof WorkflowSyntaxError) {
    errors = [{ message: err.message, line: err.line, column: err.column, path: "" }];
  } else if (err instanceof NodeLoadError) {
    errors = Object.keys(err.errors).sort().map((name) => ({
      message: err.errors[name]!,
      line: 0,
      column: 0,
      path: `nodes.${name}`,
    }));
  } else if (isFsError(err)) {
    // Not found, not a directory, not readable: the message says which path and why.
    errors = [{ message: err.message, line: 0, column: 0, path: "" }];
  } else {
    throw err; // a bug or a broken environment: its stack helps more than one line
  }
  if (json) {
    io.out(JSON.stringify({ valid: false, errors }, null, 2));
  } else {
    for (const e of errors) {
      io.err(
        e.line > 0
          ? `${WORKFLOW_FILE}:${e.line}:${e.column}: ${e.message}`
          : `tntc ${command}: ${e.message}`,
      );
    }
    if (errors.length > 1) io.err(`${errors.length} problems`);
  }
  return 1;
}

/**
 * Loads every node module of `loaded` as the engine does at start (sandboxed, with the
 * workflow's permissions), then stops the sandboxes.
 *
 * @throws {NodeLoadError} Naming every node module that does not load.
 */
async function assertNodesLoad(loaded: LoadedWorkflow): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "tntc-validate-" });
  try {
    const layout = {
      appDir: loaded.dir,
      secretsDir: `${tmp}/secrets`,
      sharedDir: `${tmp}/shared`,
      tmpDir: tmp,
      listen: "127.0.0.1:0",
    };
    const runner = await createRunner(loaded, { layout, secrets: {}, log: () => {} });
    await runner.close();
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
