import type { INamespace } from "kubernetes-models/v1/Namespace";

/**
 * The workflow's own namespace (generated only for the default `pd-<workflow>` namespace),
 * labelled to enforce the `restricted` Pod Security Standard, which the workflow pod meets.
 *
 * @param name The namespace name.
 * @param labels The workflow labels.
 * @returns The Namespace.
 * @example
 * ```ts
 * import { workflowNamespace } from "./namespace.ts";
 * const ns = workflowNamespace("pd-demo", {});
 * console.assert(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"] === "restricted");
 * ```
 */
export function workflowNamespace(name: string, labels: Record<string, string>): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted" },
    },
  };
}
