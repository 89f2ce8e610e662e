import type { IService } from "kubernetes-models/v1/Service";
import type { Workflow } from "../spec/schema.ts";
import { selectorLabels } from "./labels.ts";
import type { ObjectMeta } from "./_types.ts";

/**
 * The workflow's Service: a ClusterIP on the engine port (8080), named `http`, selecting the
 * workflow pod. Triggers (`POST /run`, webhooks) reach the engine through it.
 *
 * @param workflow The validated workflow.
 * @param metadata Name, namespace and labels.
 * @param enginePort The engine's port (8080).
 * @returns The Service.
 * @example
 * ```ts
 * import { workflowService } from "./service.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * console.assert(workflowService(wf, { name: "a" }, 8080).spec?.ports?.[0]?.port === 8080);
 * ```
 */
export function workflowService(
  workflow: Workflow,
  metadata: ObjectMeta,
  enginePort: number,
): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata,
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(workflow),
      ports: [{ name: "http", protocol: "TCP", port: enginePort, targetPort: "http" }],
    },
  };
}
