import { posix } from "node:path";
import type { LoadedWorkflow } from "../spec/load.ts";
import { WORKFLOW_FILE } from "../spec/load.ts";
import type { Workflow } from "../spec/schema.ts";
import { localImports } from "./_local_imports.ts";

/** One file of the workflow code, by its path relative to the workflow directory. */
export interface WorkflowFile {
  /** Relative POSIX path, normalized (`nodes/fetch.ts`, never `./` or `..`). */
  path: string;
  /** The file's text, byte for byte as read. */
  text: string;
}

/**
 * The relative paths of the workflow code: `workflow.yaml` and every node file, normalized,
 * without duplicates, sorted.
 *
 * @param workflow The validated workflow.
 * @returns The paths the engine reads under its app directory.
 * @throws {RangeError} When a node path leaves the workflow directory lexically (`../x.ts`).
 * @example
 * ```ts
 * import { workflowFilePaths } from "./workflow_files.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./nodes/n.ts\n");
 * console.assert(workflowFilePaths(wf).join() === "nodes/n.ts,workflow.yaml");
 * ```
 */
export function workflowFilePaths(workflow: Workflow): string[] {
  const paths = new Set<string>([WORKFLOW_FILE]);
  for (const [name, node] of Object.entries(workflow.nodes)) {
    const path = posix.normalize(node.path);
    if (path.startsWith("/") || path === ".." || path.startsWith("../")) {
      throw new RangeError(
        `node "${name}": path "${node.path}" must be relative and inside the workflow directory`,
      );
    }
    paths.add(path);
  }
  return [...paths].sort();
}

/**
 * Reads the workflow code from disk: `workflow.yaml`, every node file, and every file inside
 * the workflow directory that those modules import by a relative specifier (helpers, JSON),
 * transitively — so the pod's `/app` holds everything the nodes load.
 *
 * @param loaded The loaded workflow (from `loadWorkflow`).
 * @returns The files, sorted by path.
 * @throws {RangeError} When a path or an import leaves the workflow directory, or a file is
 *   not UTF-8 text.
 * @throws {Deno.errors.NotFound} When a node file disappeared since validation.
 * @example
 * ```ts ignore
 * import { readWorkflowFiles } from "./workflow_files.ts";
 * import { loadWorkflow } from "../spec/load.ts";
 * const files = await readWorkflowFiles(await loadWorkflow("engine/k8s/testdata/plain"));
 * console.log(files.map((f) => f.path));
 * ```
 */
export async function readWorkflowFiles(loaded: LoadedWorkflow): Promise<WorkflowFile[]> {
  const files = new Map<string, WorkflowFile>();
  const queue = workflowFilePaths(loaded.workflow);
  const required = new Set(queue);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (files.has(path)) continue;
    const text = await readText(loaded.dir, path, required.has(path));
    if (text === undefined) continue;
    files.set(path, { path, text });
    if (!MODULE.test(path)) continue;
    for (const specifier of localImports(text)) {
      const target = posix.normalize(posix.join(posix.dirname(path), specifier));
      if (target === ".." || target.startsWith("../")) {
        throw new RangeError(
          `${path} imports "${specifier}", which is outside the workflow directory; ` +
            "the pod carries only the workflow directory",
        );
      }
      queue.push(target);
    }
  }
  return [...files.values()].sort((a, b) => a.path < b.path ? -1 : 1);
}

const MODULE = /\.(ts|mts|js|mjs|tsx|jsx)$/;

async function readText(dir: string, path: string, required: boolean): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(`${dir}/${path}`);
  } catch (err) {
    // An import found by the scan that is not a file (e.g. named in a comment) is skipped.
    if (
      !required && (err instanceof Deno.errors.NotFound || err instanceof Deno.errors.IsADirectory)
    ) {
      return undefined;
    }
    throw err;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new RangeError(`${path} is not UTF-8 text; workflow code must be text`, { cause });
  }
}
