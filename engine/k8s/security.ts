import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";

/** The RuntimeClass of the gVisor sandbox that holds every container of the pod. */
export const RUNTIME_CLASS = "gvisor";
/** The uid every container runs as (`nobody`), set once at pod level. */
export const RUN_AS_USER = 65534;

/**
 * The pod-level security context of the Sidecar Specification: non-root, uid 65534, the
 * runtime's default seccomp profile. It applies to every container.
 *
 * @returns A fresh object (never shared, so YAML output has no aliases).
 * @example
 * ```ts
 * import { podSecurityContext } from "./security.ts";
 * console.assert(podSecurityContext().runAsUser === 65534);
 * ```
 */
export function podSecurityContext(): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * The container-level security context the engine and every sidecar get, with no opt-out:
 * read-only root file system, no privilege escalation, every capability dropped.
 *
 * @returns A fresh object (never shared, so YAML output has no aliases).
 * @example
 * ```ts
 * import { containerSecurityContext } from "./security.ts";
 * console.assert(containerSecurityContext().capabilities?.drop?.[0] === "ALL");
 * ```
 */
export function containerSecurityContext(): ISecurityContext {
  return {
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  };
}
