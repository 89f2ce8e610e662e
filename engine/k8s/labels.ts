import type { Workflow } from "../spec/schema.ts";

/** Label holding the workflow name on every generated object; the Deployment selects on it. */
export const WORKFLOW_LABEL = "tentacular.dev/workflow";
/** Prefix of the per-sidecar pod label: `sidecar.tentacular.dev/<name>: "true"`. */
export const SIDECAR_LABEL_PREFIX = "sidecar.tentacular.dev/";
/** Pod annotation listing the sidecar container names, comma-separated. */
export const SIDECARS_ANNOTATION = "tentacular.dev/sidecars";
/** Annotation holding the workflow's `version` (any text; labels are too strict for it). */
export const VERSION_ANNOTATION = "tentacular.dev/workflow-version";

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The labels every object of a workflow carries, so `kubectl get all -l
 * tentacular.dev/workflow=<name>` finds them all.
 *
 * @param workflow The validated workflow.
 * @param component `app.kubernetes.io/component`: `workflow` for the Deployment, Pod, Service
 *   and NetworkPolicy, `code` for the ConfigMap, `namespace` for the Namespace.
 * @returns A fresh label map.
 * @example
 * ```ts
 * import { workflowLabels } from "./labels.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: demo\nversion: \"1.0\"\nnodes:\n  a:\n    path: ./a.ts\n");
 * console.assert(workflowLabels(wf, "workflow")["tentacular.dev/workflow"] === "demo");
 * ```
 */
export function workflowLabels(workflow: Workflow, component: string): Record<string, string> {
  const labels: Record<string, string> = {
    "app.kubernetes.io/name": workflow.name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "tentacular",
    "app.kubernetes.io/managed-by": "tntc",
    [WORKFLOW_LABEL]: workflow.name,
  };
  // A label value is at most 63 characters of a restricted set; the annotation always has it.
  if (workflow.version.length <= 63 && LABEL_VALUE.test(workflow.version)) {
    labels["app.kubernetes.io/version"] = workflow.version;
  }
  return labels;
}

/**
 * The labels of the workflow pod: the workflow labels plus one `sidecar.tentacular.dev/<name>`
 * label per sidecar, so `kubectl get pods -l sidecar.tentacular.dev/ffmpeg` finds every pod
 * that runs an `ffmpeg` sidecar.
 *
 * @param workflow The validated workflow.
 * @returns A fresh label map.
 * @example
 * ```ts
 * import { podLabels } from "./labels.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow(
 *   "name: a\nversion: \"1\"\nsidecars:\n  - name: ffmpeg\n    image: x\n    port: 9000\n" +
 *     "nodes:\n  n:\n    path: ./n.ts\n",
 * );
 * console.assert(podLabels(wf)["sidecar.tentacular.dev/ffmpeg"] === "true");
 * ```
 */
export function podLabels(workflow: Workflow): Record<string, string> {
  const labels = workflowLabels(workflow, "workflow");
  for (const sidecar of workflow.sidecars ?? []) {
    labels[`${SIDECAR_LABEL_PREFIX}${sidecar.name}`] = "true";
  }
  return labels;
}

/**
 * The selector of the Deployment, Service and NetworkPolicy: the workflow label alone (a
 * Deployment's selector cannot change later, so it holds nothing that might).
 *
 * @param workflow The validated workflow.
 * @returns `{ "tentacular.dev/workflow": <name> }`.
 * @example
 * ```ts
 * import { selectorLabels } from "./labels.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: demo\nversion: \"1.0\"\nnodes:\n  a:\n    path: ./a.ts\n");
 * console.assert(selectorLabels(wf)["tentacular.dev/workflow"] === "demo");
 * ```
 */
export function selectorLabels(workflow: Workflow): Record<string, string> {
  return { [WORKFLOW_LABEL]: workflow.name };
}
