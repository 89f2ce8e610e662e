import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import { type EngineLayout, POD_LAYOUT } from "../flags/derive.ts";
import type { Workflow } from "../spec/schema.ts";
import { codeConfigMap } from "./config_map.ts";
import { workflowDeployment } from "./deployment.ts";
import { digestWarnings } from "./digest.ts";
import { DEFAULT_ENGINE_IMAGE, listenPort } from "./engine_container.ts";
import { ManifestError } from "./errors.ts";
import { VERSION_ANNOTATION, workflowLabels } from "./labels.ts";
import { defaultNamespace } from "./names.ts";
import { workflowNamespace } from "./namespace.ts";
import { networkPolicy } from "./network_policy.ts";
import { manifestProblems } from "./problems.ts";
import { secretRefs } from "./secrets.ts";
import { workflowService } from "./service.ts";
import type { WorkflowFile } from "./workflow_files.ts";

/**
 * A generated Kubernetes object. Its full type is one of the `kubernetes-models` interfaces
 * (`IDeployment`, `IConfigMap`, `IService`, `INetworkPolicy`, `INamespace`), told by `kind`.
 */
export interface KubernetesObject {
  /** e.g. `apps/v1`. */
  apiVersion: string;
  /** e.g. `Deployment`. */
  kind: string;
  /** Name, namespace, labels and annotations. */
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

type GeneratedObject = INamespace | IConfigMap | IService | INetworkPolicy | IDeployment;

/** Options of {@linkcode generateManifests}. */
export interface ManifestOptions {
  /** Engine image (default {@linkcode DEFAULT_ENGINE_IMAGE}). */
  engineImage?: string;
  /** Target namespace (default `pd-<workflow>`, which is then generated too). */
  namespace?: string;
  /** Pod layout (default `POD_LAYOUT`). */
  layout?: EngineLayout;
}

/** The generated resources of one workflow. */
export interface Manifests {
  /** The namespace every object lives in. */
  namespace: string;
  /** In apply order: [Namespace], ConfigMap, Service, NetworkPolicy, Deployment. */
  objects: KubernetesObject[];
  /** Warnings (e.g. sidecar images not pinned by digest); the objects are still valid. */
  warnings: string[];
  /** The Secrets the pod mounts and must exist before it starts: name and keys. */
  secrets: { secret: string; keys: string[] }[];
}

/**
 * Generates the Kubernetes resources of a workflow: the Deployment with exactly the pod of
 * the Sidecar Specification, a ConfigMap with the workflow code, a Service on 8080, a
 * NetworkPolicy, and — for the default namespace `pd-<workflow>` — the Namespace.
 *
 * @param workflow The validated workflow.
 * @param files Its code (`readWorkflowFiles`): workflow.yaml and the node files.
 * @param options Engine image, namespace, layout.
 * @returns The objects in apply order, warnings and the Secrets needed.
 * @throws {ManifestError} With every problem Kubernetes would reject, at once.
 * @example
 * ```ts
 * import { generateManifests } from "./manifests.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const text = "name: demo\nversion: \"1.0\"\nnodes:\n  a:\n    path: ./a.ts\n";
 * const wf = validateWorkflow(text);
 * const m = generateManifests(wf, [{ path: "workflow.yaml", text }, { path: "a.ts", text: "" }]);
 * console.assert(m.objects.map((o) => o.kind).join() ===
 *   "Namespace,ConfigMap,Service,NetworkPolicy,Deployment");
 * ```
 */
export function generateManifests(
  workflow: Workflow,
  files: WorkflowFile[],
  options: ManifestOptions = {},
): Manifests {
  const namespace = options.namespace ?? defaultNamespace(workflow.name);
  const engineImage = options.engineImage ?? DEFAULT_ENGINE_IMAGE;
  const layout = options.layout ?? POD_LAYOUT;
  const secrets = secretRefs(workflow);
  const problems = manifestProblems(workflow, { namespace, engineImage, secrets });
  const meta = (component: string) => ({
    name: workflow.name,
    namespace,
    labels: workflowLabels(workflow, component),
    annotations: { [VERSION_ANNOTATION]: workflow.version },
  });
  let code: ReturnType<typeof codeConfigMap> | undefined;
  try {
    code = codeConfigMap(`${workflow.name}-code`, meta("code"), files);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    problems.push(err.message);
  }
  if (problems.length > 0 || code === undefined) throw new ManifestError(problems);
  const port = listenPort(layout);
  const objects: GeneratedObject[] = [
    ...(options.namespace === undefined
      ? [workflowNamespace(namespace, workflowLabels(workflow, "namespace"))]
      : []),
    code.configMap,
    workflowService(workflow, meta("workflow"), port),
    networkPolicy(workflow, meta("workflow"), port),
    workflowDeployment(workflow, {
      metadata: meta("workflow"),
      engineImage,
      codeVolume: code.volume,
      codeSha256: code.sha256,
      secrets,
      layout,
    }),
  ];
  return { namespace, objects, warnings: digestWarnings(workflow), secrets };
}
