import { loadWorkflow } from "../spec/load.ts";
import { ManifestError } from "./errors.ts";
import { generateManifests, type ManifestOptions, type Manifests } from "./manifests.ts";
import { readWorkflowFiles } from "./workflow_files.ts";

/**
 * Loads `<dir>/workflow.yaml`, reads its code and generates its Kubernetes resources.
 *
 * @param dir The workflow directory.
 * @param options Engine image, namespace, layout.
 * @returns The manifests, warnings and the Secrets needed.
 * @throws {Deno.errors.NotFound} When there is no workflow.yaml.
 * @throws {WorkflowSyntaxError} For YAML problems.
 * @throws {WorkflowValidationError} With every rule the workflow breaks.
 * @throws {ManifestError} With every problem Kubernetes would reject.
 * @example
 * ```ts
 * import { manifestsFromDir } from "./from_dir.ts";
 * const dir = new URL("./testdata/plain", import.meta.url).pathname;
 * const { objects } = await manifestsFromDir(dir);
 * console.assert(objects.some((o) => o.kind === "Deployment"));
 * ```
 */
export async function manifestsFromDir(
  dir: string,
  options: ManifestOptions = {},
): Promise<Manifests> {
  const loaded = await loadWorkflow(dir);
  let files;
  try {
    files = await readWorkflowFiles(loaded);
  } catch (err) {
    if (err instanceof RangeError) throw new ManifestError([err.message], { cause: err });
    throw err;
  }
  return generateManifests(loaded.workflow, files, options);
}
