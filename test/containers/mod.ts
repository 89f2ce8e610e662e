/**
 * Container-test harness: a local base image built without any registry, offline
 * image builds, and pod containers started with gVisor and the pod's security
 * settings.
 *
 * ```ts ignore
 * import { buildImage, containerTest, ensureBaseImage, freePort, startPodContainer } from "@tntc/test/containers";
 *
 * await containerTest("the sidecar answers health inside a pod", async () => {
 *   const base = await ensureBaseImage();
 *   const image = await buildImage("path/to/dir", "tntc-test/mine:latest", { BASE_IMAGE: base });
 *   const port = freePort();
 *   await using pod = await startPodContainer({ image, port, env: { PORT: String(port) } });
 *   const response = await fetch(`${pod.url}/health`);
 * });
 * ```
 *
 * @module
 */

export { type AppImageOptions, buildAppImage } from "./app_image.ts";
export { type BaseImageOptions, DEFAULT_TOOLS, ensureBaseImage } from "./base_image.ts";
export { buildImage, imageExists } from "./build_image.ts";
export { containerTest, type DockerGate, requireDocker } from "./docker_gate.ts";
export { cacheDenoDir, type CacheDenoDirOptions } from "./deno_dir.ts";
export {
  type EngineContainerOptions,
  type StartedEngine,
  startEngineContainer,
} from "./engine_container.ts";
export {
  buildEngineImage,
  ENGINE_ENTRYPOINTS,
  ENGINE_IMAGE_ROOT,
  type EngineImageOptions,
} from "./engine_image.ts";
export { freePort } from "./free_port.ts";
export {
  type BindMount,
  POD_UID,
  type PodContainerOptions,
  type PodExecResult,
  type StartedPod,
  startPodContainer,
} from "./pod_container.ts";
