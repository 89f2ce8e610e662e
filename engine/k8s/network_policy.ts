import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import { dependencyAddress } from "../flags/derive.ts";
import type { Workflow } from "../spec/schema.ts";
import { selectorLabels } from "./labels.ts";
import type { ObjectMeta } from "./_types.ts";

/** Annotation listing the `host:port` egress destinations the contract declares. */
export const EGRESS_ANNOTATION = "tentacular.dev/egress";

/**
 * The workflow's NetworkPolicy: ingress only to the engine port; egress only to cluster DNS
 * (kube-dns in kube-system, UDP and TCP 53) and to the ports of the declared dependencies.
 *
 * NetworkPolicy cannot name hosts, so dependency rules allow their ports to any address; the
 * hosts themselves are enforced by the engine's `--allow-net` and listed in an annotation.
 * Sidecars need no rule: they share the pod's network namespace (localhost).
 *
 * @param workflow The validated workflow.
 * @param metadata Name, namespace and labels.
 * @param enginePort The engine's port (8080).
 * @returns The NetworkPolicy.
 * @example
 * ```ts
 * import { networkPolicy } from "./network_policy.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * const np = networkPolicy(wf, { name: "a", namespace: "pd-a" }, 8080);
 * console.assert(np.spec?.egress?.length === 1); // DNS only
 * ```
 */
export function networkPolicy(
  workflow: Workflow,
  metadata: ObjectMeta,
  enginePort: number,
): INetworkPolicy {
  const deps = Object.values(workflow.contract?.dependencies ?? {});
  const addresses = [...new Set(deps.map((d) => dependencyAddress(d)))].sort();
  const ports = [...new Set(addresses.map((a) => Number(a.slice(a.lastIndexOf(":") + 1))))]
    .sort((a, b) => a - b);
  const egress: INetworkPolicyEgressRule[] = [dnsRule()];
  if (ports.length > 0) egress.push({ ports: ports.map((port) => ({ protocol: "TCP", port })) });
  const annotations = addresses.length > 0
    ? { ...metadata.annotations, [EGRESS_ANNOTATION]: addresses.join(",") }
    : metadata.annotations;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
    spec: {
      podSelector: { matchLabels: selectorLabels(workflow) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ ports: [{ protocol: "TCP", port: enginePort }] }],
      egress,
    },
  };
}

function dnsRule(): INetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    }],
    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
  };
}
