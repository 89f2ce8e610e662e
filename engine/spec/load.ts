import { WorkflowSyntaxError } from "./errors.ts";
import type { Workflow } from "./schema.ts";
import { validateWorkflow } from "./validate.ts";
import { MAX_WORKFLOW_BYTES } from "./yaml_source.ts";

/** A validated workflow and where it came from. */
export interface LoadedWorkflow {
  /** Absolute workflow directory (node paths are relative to it). */
  dir: string;
  /** Absolute path of workflow.yaml. */
  file: string;
  /** The validated workflow with defaults applied. */
  workflow: Workflow;
}

/** The file name a workflow directory must contain. */
export const WORKFLOW_FILE = "workflow.yaml";

/**
 * Reads and validates `<dir>/workflow.yaml`, including the node files it names.
 *
 * @param dir The workflow directory (or its `workflow.yaml`).
 * @returns The validated workflow with its absolute locations.
 * @throws {Deno.errors.NotFound} When the directory has no workflow.yaml (message says which).
 * @throws {Deno.errors.NotADirectory} When `dir` is some other file.
 * @throws {WorkflowSyntaxError} For YAML problems.
 * @throws {WorkflowValidationError} With every rule broken.
 * @example
 * ```ts ignore
 * import { loadWorkflow } from "./load.ts";
 * const { workflow } = await loadWorkflow("examples/video-frame-extractor");
 * console.log(Object.keys(workflow.nodes));
 * ```
 */
export async function loadWorkflow(dir: string): Promise<LoadedWorkflow> {
  const root = await absolute(dir);
  const file = `${root}/${WORKFLOW_FILE}`;
  let size: number;
  try {
    size = (await Deno.stat(file)).size;
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`no ${WORKFLOW_FILE} in ${root}`, { cause });
    }
    throw cause;
  }
  if (size > MAX_WORKFLOW_BYTES) {
    throw new WorkflowSyntaxError(
      `file is ${size} bytes; the limit is ${MAX_WORKFLOW_BYTES} bytes (1 MiB)`,
      1,
      1,
    );
  }
  const text = await Deno.readTextFile(file);
  return { dir: root, file, workflow: validateWorkflow(text, { dir: root }) };
}

/** The real path of the workflow directory `dir`, or of the directory of a `workflow.yaml`. */
async function absolute(dir: string): Promise<string> {
  let real: string;
  try {
    real = await Deno.realPath(dir);
  } catch (cause) {
    throw new Deno.errors.NotFound(`workflow directory ${dir} does not exist`, { cause });
  }
  if ((await Deno.stat(real)).isDirectory) return real;
  if (real.endsWith(`/${WORKFLOW_FILE}`)) return real.slice(0, -WORKFLOW_FILE.length - 1);
  throw new Deno.errors.NotADirectory(
    `${dir} is a file, not a workflow directory: pass the directory that holds ${WORKFLOW_FILE}`,
  );
}
