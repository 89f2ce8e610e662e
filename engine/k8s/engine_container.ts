import type { IContainer } from "kubernetes-models/v1/Container";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { derivePermissions, type EngineLayout, POD_LAYOUT, toDenoFlags } from "../flags/derive.ts";
import { engineCommand } from "../server/engine_command.ts";
import type { Workflow } from "../spec/schema.ts";
import { containerSecurityContext } from "./security.ts";

/** The engine image of the Sidecar Specification; `--engine-image` overrides it. */
export const DEFAULT_ENGINE_IMAGE = "ghcr.io/randybias/tentacular-engine:v0.7.0";
/** The engine container's name (reserved: no sidecar may take it). */
export const ENGINE_CONTAINER = "engine";

/** Resources of the engine container: the issue leaves them open; these fit one workflow. */
export const ENGINE_RESOURCES: Readonly<IResourceRequirements> = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "512Mi" },
};

/**
 * The engine container's `command` and `args`: exactly the argv of `engineCommand()` (the one
 * truth shared with `tntc dev` and `tntc run`), split as `deno run` + arguments, with the
 * derived permission flags moved first, as the Sidecar Specification prints them.
 *
 * @param workflow The validated workflow.
 * @param layout The pod layout (default {@linkcode POD_LAYOUT}).
 * @returns `command` (`["deno", "run"]`) and `args`.
 * @throws {Error} Only on an internal fault: `engineCommand()` lacks a derived flag.
 * @example
 * ```ts
 * import { engineCommandLine } from "./engine_container.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * console.assert(engineCommandLine(wf).args[0] === "--allow-net=0.0.0.0:8080");
 * ```
 */
export function engineCommandLine(
  workflow: Workflow,
  layout: EngineLayout = POD_LAYOUT,
): { command: string[]; args: string[] } {
  const argv = engineCommand(workflow, layout);
  const permissions = toDenoFlags(derivePermissions(workflow, layout));
  const missing = permissions.filter((flag) => !argv.includes(flag));
  if (argv[1] !== "run" || missing.length > 0) {
    throw new Error(`internal: engineCommand() is not "deno run" with ${missing.join(" ")}`);
  }
  const rest = argv.slice(2).filter((arg) => !permissions.includes(arg));
  return { command: argv.slice(0, 2), args: [...permissions, ...rest] };
}

/** Options of {@linkcode engineContainer}. */
export interface EngineContainerOptions {
  /** The engine image. */
  image: string;
  /** Mounts: shared (with sidecars), tmp, the workflow code, the secrets — in that order. */
  volumeMounts: IVolumeMount[];
  /** The pod layout (default {@linkcode POD_LAYOUT}). */
  layout?: EngineLayout;
}

/**
 * The engine container: derived flags, port 8080, liveness on `/health`, readiness on `/ready`
 * (which waits for the sidecars), the container security context and resource defaults.
 *
 * @param workflow The validated workflow.
 * @param options Image and mounts.
 * @returns The container.
 * @example
 * ```ts
 * import { DEFAULT_ENGINE_IMAGE, engineContainer } from "./engine_container.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * const c = engineContainer(wf, { image: DEFAULT_ENGINE_IMAGE, volumeMounts: [] });
 * console.assert(c.readinessProbe?.httpGet?.path === "/ready");
 * ```
 */
export function engineContainer(workflow: Workflow, options: EngineContainerOptions): IContainer {
  const layout = options.layout ?? POD_LAYOUT;
  const port = listenPort(layout);
  return {
    name: ENGINE_CONTAINER,
    image: options.image,
    ...engineCommandLine(workflow, layout),
    ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
    securityContext: containerSecurityContext(),
    resources: structuredClone(ENGINE_RESOURCES) as IResourceRequirements,
    livenessProbe: {
      httpGet: { path: "/health", port },
      initialDelaySeconds: 2,
      periodSeconds: 10,
    },
    readinessProbe: {
      httpGet: { path: "/ready", port },
      initialDelaySeconds: 2,
      periodSeconds: 5,
    },
    volumeMounts: options.volumeMounts,
  };
}

/**
 * The port of the engine's listen address (`0.0.0.0:8080` → 8080).
 *
 * @param layout The pod layout.
 * @returns The port number.
 * @throws {RangeError} When the listen address has no valid port.
 * @example
 * ```ts
 * import { listenPort } from "./engine_container.ts";
 * import { POD_LAYOUT } from "../flags/derive.ts";
 * console.assert(listenPort(POD_LAYOUT) === 8080);
 * ```
 */
export function listenPort(layout: EngineLayout): number {
  const port = Number(layout.listen.slice(layout.listen.lastIndexOf(":") + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`listen address "${layout.listen}" has no valid port`);
  }
  return port;
}
