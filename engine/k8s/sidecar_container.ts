import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { Sidecar } from "../spec/schema.ts";
import { labelWithSuffix } from "./names.ts";
import { containerSecurityContext } from "./security.ts";

/** Size of each sidecar's own `/tmp` emptyDir (Sidecar Specification). */
export const SIDECAR_TMP_SIZE = "256Mi";
/** Name of the volume shared by the engine and every sidecar. */
export const SHARED_VOLUME = "shared";

/**
 * The name of a sidecar's `/tmp` volume: `<sidecar>-tmp`, or for sidecar names over 59
 * characters a cut name plus a hash, still ending in `-tmp` (see `labelWithSuffix`).
 *
 * @param sidecarName The sidecar's name (a DNS-1123 label of up to 63 characters).
 * @returns A valid, unique volume name.
 * @example
 * ```ts
 * import { sidecarTmpVolumeName } from "./sidecar_container.ts";
 * console.assert(sidecarTmpVolumeName("ffmpeg") === "ffmpeg-tmp");
 * ```
 */
export function sidecarTmpVolumeName(sidecarName: string): string {
  return labelWithSuffix(sidecarName, "-tmp");
}

/**
 * A sidecar's `/tmp` volume: an emptyDir of {@linkcode SIDECAR_TMP_SIZE}, required because its
 * root file system is read-only.
 *
 * @param sidecar The sidecar.
 * @returns The pod volume.
 * @example
 * ```ts
 * import { sidecarTmpVolume } from "./sidecar_container.ts";
 * console.assert(sidecarTmpVolume({ name: "ffmpeg" }).emptyDir?.sizeLimit === "256Mi");
 * ```
 */
export function sidecarTmpVolume(sidecar: Pick<Sidecar, "name">): IVolume {
  return { name: sidecarTmpVolumeName(sidecar.name), emptyDir: { sizeLimit: SIDECAR_TMP_SIZE } };
}

/**
 * A sidecar container exactly as the Sidecar Specification prints it: image, optional
 * command/args, env sorted by name with string values, its port, the container security
 * context, resources as declared, a readiness probe on its port (HTTP GET on `healthPath`, or
 * a gRPC health check for `protocol: grpc`), and mounts of `/shared` and its own `/tmp`.
 *
 * @param sidecar The validated sidecar declaration.
 * @param sharedDir Where the shared volume is mounted (default `/shared`).
 * @returns The container.
 * @example
 * ```ts
 * import { sidecarContainer } from "./sidecar_container.ts";
 * const c = sidecarContainer({
 *   name: "ffmpeg", image: "ffmpeg:1", port: 9000, protocol: "http", healthPath: "/health",
 * });
 * console.assert(c.readinessProbe?.httpGet?.port === 9000);
 * ```
 */
export function sidecarContainer(sidecar: Sidecar, sharedDir = "/shared"): IContainer {
  const container: IContainer = { name: sidecar.name, image: sidecar.image };
  if (sidecar.command) container.command = [...sidecar.command];
  if (sidecar.args) container.args = [...sidecar.args];
  const env = sortedEnv(sidecar.env);
  if (env.length > 0) container.env = env;
  container.ports = [{ containerPort: sidecar.port, protocol: "TCP" }];
  container.securityContext = containerSecurityContext();
  const resources = declaredResources(sidecar.resources);
  if (resources) container.resources = resources;
  container.readinessProbe = readinessProbe(sidecar);
  container.volumeMounts = [
    { name: SHARED_VOLUME, mountPath: sharedDir },
    { name: sidecarTmpVolumeName(sidecar.name), mountPath: "/tmp" },
  ];
  return container;
}

function sortedEnv(env: Record<string, string> | undefined): IEnvVar[] {
  return Object.entries(env ?? {})
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([name, value]) => ({ name, value: String(value) }));
}

function readinessProbe(sidecar: Sidecar): IProbe {
  const check: IProbe = sidecar.protocol === "grpc"
    ? { grpc: { port: sidecar.port } }
    : { httpGet: { path: sidecar.healthPath, port: sidecar.port } };
  return { ...check, initialDelaySeconds: 2, periodSeconds: 5 };
}

function declaredResources(
  resources: Sidecar["resources"],
): IResourceRequirements | undefined {
  const out: IResourceRequirements = {};
  for (const kind of ["requests", "limits"] as const) {
    const list = resources?.[kind];
    const entries = Object.entries(list ?? {}).filter(([, v]) => v !== undefined);
    if (entries.length > 0) out[kind] = Object.fromEntries(entries) as Record<string, string>;
  }
  return out.requests || out.limits ? out : undefined;
}
