import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { type EngineLayout, POD_LAYOUT } from "../flags/derive.ts";
import type { Workflow } from "../spec/schema.ts";
import type { ObjectMeta } from "./_types.ts";
import { CODE_VOLUME } from "./config_map.ts";
import { ENGINE_CONTAINER, engineContainer } from "./engine_container.ts";
import { podLabels, selectorLabels, SIDECARS_ANNOTATION } from "./labels.ts";
import { type SecretRef, secretVolume } from "./secrets.ts";
import { podSecurityContext, RUNTIME_CLASS } from "./security.ts";
import { SHARED_VOLUME, sidecarContainer, sidecarTmpVolume } from "./sidecar_container.ts";

/** Size of the `/shared` emptyDir (only with sidecars). */
export const SHARED_SIZE = "1Gi";
/** Size of the engine's `/tmp` emptyDir. */
export const ENGINE_TMP_SIZE = "512Mi";
/** Pod annotation with the SHA-256 of the workflow code: new code rolls the pods. */
export const CODE_HASH_ANNOTATION = "tentacular.dev/code-sha256";

/** Inputs of {@linkcode workflowDeployment} besides the workflow. */
export interface DeploymentOptions {
  /** Name, namespace and labels of the Deployment. */
  metadata: ObjectMeta;
  /** The engine image. */
  engineImage: string;
  /** The ConfigMap volume with the workflow code (from `codeConfigMap`). */
  codeVolume: IVolume;
  /** SHA-256 of the workflow code. */
  codeSha256: string;
  /** The Secrets the workflow reads (from `secretRefs`). */
  secrets: SecretRef[];
  /** The pod layout (default `POD_LAYOUT`). */
  layout?: EngineLayout;
}

/**
 * The workflow Deployment: one replica of exactly the pod of the Sidecar Specification —
 * gVisor, the pod security context, the engine and one container per sidecar (none without
 * `sidecars:`), `/shared` (1Gi, only with sidecars), the engine's `/tmp` (512Mi), one `/tmp`
 * per sidecar (256Mi), the workflow code at `/app`, Secrets under `/var/run/secrets`, and no
 * service account token.
 *
 * @param workflow The validated workflow.
 * @param options Metadata, engine image, code volume and Secrets.
 * @returns The Deployment.
 * @example
 * ```ts
 * import { workflowDeployment } from "./deployment.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * const d = workflowDeployment(wf, {
 *   metadata: { name: "a" }, engineImage: "engine:1", codeSha256: "0",
 *   codeVolume: { name: "workflow", configMap: { name: "a-code" } }, secrets: [],
 * });
 * console.assert(d.spec?.template.spec?.containers.length === 1);
 * ```
 */
export function workflowDeployment(workflow: Workflow, options: DeploymentOptions): IDeployment {
  const annotations: Record<string, string> = {
    "kubectl.kubernetes.io/default-container": ENGINE_CONTAINER,
    [CODE_HASH_ANNOTATION]: options.codeSha256,
  };
  const sidecars = workflow.sidecars ?? [];
  if (sidecars.length > 0) annotations[SIDECARS_ANNOTATION] = sidecars.map((s) => s.name).join(",");
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: options.metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(workflow) },
      template: {
        metadata: { labels: podLabels(workflow), annotations },
        spec: podSpec(workflow, options),
      },
    },
  };
}

function podSpec(workflow: Workflow, options: DeploymentOptions): IPodSpec {
  const layout = options.layout ?? POD_LAYOUT;
  const sidecars = workflow.sidecars ?? [];
  const secrets = options.secrets.map((ref) => secretVolume(ref, layout.secretsDir));
  const engineMounts: IVolumeMount[] = [
    ...(sidecars.length > 0 ? [{ name: SHARED_VOLUME, mountPath: layout.sharedDir }] : []),
    { name: "engine-tmp", mountPath: layout.tmpDir },
    { name: CODE_VOLUME, mountPath: layout.appDir, readOnly: true },
    ...secrets.map((s) => s.mount),
  ];
  const volumes: IVolume[] = [
    ...(sidecars.length > 0 ? [{ name: SHARED_VOLUME, emptyDir: { sizeLimit: SHARED_SIZE } }] : []),
    { name: "engine-tmp", emptyDir: { sizeLimit: ENGINE_TMP_SIZE } },
    ...sidecars.map((s) => sidecarTmpVolume(s)),
    options.codeVolume,
    ...secrets.map((s) => s.volume),
  ];
  return {
    runtimeClassName: RUNTIME_CLASS,
    securityContext: podSecurityContext(),
    automountServiceAccountToken: false,
    containers: [
      engineContainer(workflow, { image: options.engineImage, volumeMounts: engineMounts, layout }),
      ...sidecars.map((s) => sidecarContainer(s, layout.sharedDir)),
    ],
    volumes,
  };
}
