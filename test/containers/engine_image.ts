/**
 * Builds the engine image (`Dockerfile.engine`) from this checkout, offline.
 *
 * ```sh
 * # production: the public distroless base and a registry tag
 * deno run -A test/containers/engine_image.ts --base denoland/deno:distroless-2.9.6 \
 *   --tag ghcr.io/example/tentacular-engine:dev
 * ```
 *
 * @module
 */

import { POD_ENGINE_INSTALL } from "../../engine/server/engine_command.ts";
import { buildAppImage } from "./app_image.ts";

/** Where the engine's code lives in the image (the pod install root of `engineCommand()`). */
export const ENGINE_IMAGE_ROOT: string = POD_ENGINE_INSTALL.root;

/** The modules the engine process loads: its entrypoint and the sandbox worker it spawns. */
export const ENGINE_ENTRYPOINTS: readonly string[] = ["engine/main.ts", "engine/run/_worker.ts"];

/** Options for {@linkcode buildEngineImage}. */
export interface EngineImageOptions {
  /** The base image (default: the local stand-in from `ensureBaseImage()`). */
  baseImage?: string;
  /** The tag to give the image (default `tntc-local/engine:<hash of every input>`). */
  tag?: string;
  /** The checkout to build from (default: the one this module is part of). */
  repoRoot?: string;
}

/**
 * Builds the engine image from `Dockerfile.engine` and returns its tag.
 *
 * What ships is only what the engine process loads: the module graphs of `engine/main.ts` and
 * the sandbox worker, a `deno.json` and `deno.lock` cut down to their imports, and a
 * `DENO_DIR` with their npm packages, cached on the host (see `buildAppImage()`). The engine
 * runs from `/opt/tntc` with `--cached-only`, as `engineCommand()` starts it in a pod.
 *
 * @param options Base image, tag and checkout.
 * @returns The image tag.
 * @throws {Error} When `deno info`, `deno cache` or `docker build` fails; the message holds the
 * tool's output.
 * @example
 * ```ts ignore
 * import { buildEngineImage } from "./mod.ts";
 * const image = await buildEngineImage();
 * console.log(image); // tntc-local/engine:1c9e...
 * ```
 */
export function buildEngineImage(options: EngineImageOptions = {}): Promise<string> {
  return buildAppImage({
    dockerfile: "Dockerfile.engine",
    entrypoints: ENGINE_ENTRYPOINTS,
    repository: "tntc-local/engine",
    ...options,
  });
}

if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values } = parseArgs({
    args: Deno.args,
    options: { base: { type: "string" }, tag: { type: "string" } },
  });
  const started = performance.now();
  const tag = await buildEngineImage({
    ...(values.base === undefined ? {} : { baseImage: values.base }),
    ...(values.tag === undefined ? {} : { tag: values.tag }),
  });
  // deno-lint-ignore no-console
  console.log(`${tag} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
