/**
 * Starts the engine image the way the workflow pod runs it.
 *
 * @module
 */

import { type EngineLayout, POD_LAYOUT } from "../../engine/flags/derive.ts";
import { engineCommand } from "../../engine/server/engine_command.ts";
import { loadWorkflow } from "../../engine/spec/load.ts";
import { type StartedPod, startPodContainer } from "./pod_container.ts";

/** Options for {@linkcode startEngineContainer}. */
export interface EngineContainerOptions {
  /** The engine image, from {@linkcode buildEngineImage}. */
  image: string;
  /** The workflow directory on the host; mounted read-only at `/app`, like the pod's ConfigMap. */
  workflowDir: string;
  /** The engine listens on `127.0.0.1:<port>` (host networking: pick a free one). */
  port: number;
  /** Host directory mounted at `/shared` (a tmpfs when omitted). */
  sharedDir?: string;
  /** Engine flags after the layout, e.g. `["--sidecar-wait", "90s"]`. */
  engineArgs?: string[];
  /** How long to wait for `GET /health` (default 60 s). */
  readyTimeoutMs?: number;
}

/** A running engine container, with the command line it was started with. */
export interface StartedEngine extends StartedPod {
  /**
   * The whole argv: `engineCommand(workflow, layout, { engineArgs })` for the pod layout with
   * `listen` = `127.0.0.1:<port>`.
   */
  argv: string[];
}

/**
 * Starts the engine image with exactly `engineCommand()` for the pod layout (`/app`,
 * `/var/run/secrets`, `/shared`, `/tmp`) — the argv the Kubernetes manifest gives the engine
 * container, `command` replacing the image's entrypoint — except that it listens on
 * `127.0.0.1:<port>` instead of `0.0.0.0:8080`, because the test pod shares the host's network.
 * The container runs under gVisor with the pod's security settings ({@linkcode startPodContainer})
 * and counts as started once `GET /health` answers 200.
 *
 * @param options Image, workflow, port and shared directory.
 * @returns The running engine.
 * @throws {Error} When the workflow does not load, or the engine exits or never gets healthy;
 * the message then holds the engine's log.
 * @example
 * ```ts ignore
 * import { buildEngineImage, freePort, startEngineContainer } from "./mod.ts";
 * await using engine = await startEngineContainer({
 *   image: await buildEngineImage(),
 *   workflowDir: "examples/video-frame-extractor",
 *   port: freePort(),
 * });
 * const result = await fetch(`${engine.url}/run`, { method: "POST", body: "{}" });
 * ```
 */
export async function startEngineContainer(
  options: EngineContainerOptions,
): Promise<StartedEngine> {
  const { workflow } = await loadWorkflow(options.workflowDir);
  const layout: EngineLayout = { ...POD_LAYOUT, listen: `127.0.0.1:${options.port}` };
  const argv = engineCommand(workflow, layout, {
    ...(options.engineArgs === undefined ? {} : { engineArgs: options.engineArgs }),
  });
  const pod = await startPodContainer({
    image: options.image,
    port: options.port,
    entrypoint: argv.slice(0, 1),
    cmd: argv.slice(1),
    mounts: [{ source: await Deno.realPath(options.workflowDir), target: layout.appDir }],
    ...(options.sharedDir === undefined ? {} : { sharedDir: options.sharedDir }),
    healthPath: "/health",
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  });
  return Object.assign(pod, { argv });
}
