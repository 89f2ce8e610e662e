/**
 * Builds a Docker image from a directory, offline, with errors you can act on.
 *
 * @module
 */

import { docker, runDocker } from "./_docker_cli.ts";

/**
 * Builds the Dockerfile in `dockerfileDir` and tags the result.
 *
 * Uses the `docker` CLI with the classic builder and `--network none`, because no
 * registry or network is reachable from these machines and because the CLI
 * reports build failures (testcontainers' builder reports only "Failed to build
 * image", and silently keeps an older image under the same tag).
 *
 * @param dockerfileDir The build context; its `Dockerfile` is used.
 * @param tag The image name to give the result, e.g. `tntc-test/smoke:1`.
 * @param buildArgs Values for the Dockerfile's `ARG`s, e.g. `{ BASE_IMAGE: tag }`.
 * @returns The tag, once the image exists.
 * @throws {Error} When the build fails; the message holds the last lines of the build output.
 * @example Build a derived image on the local base
 * ```ts ignore
 * import { buildImage, ensureBaseImage } from "./mod.ts";
 * const base = await ensureBaseImage();
 * await buildImage("test/containers/fixtures", "tntc-test/smoke:dev", { BASE_IMAGE: base });
 * ```
 */
export async function buildImage(
  dockerfileDir: string,
  tag: string,
  buildArgs: Record<string, string> = {},
): Promise<string> {
  const args = ["build", "--network", "none", "--force-rm", "--tag", tag];
  for (const [name, value] of Object.entries(buildArgs).sort(([a], [b]) => a.localeCompare(b))) {
    args.push("--build-arg", `${name}=${value}`);
  }
  args.push(dockerfileDir);
  await docker(args);
  return tag;
}

/**
 * Tells whether an image with this tag exists in the local Docker engine.
 *
 * @param tag The image name.
 * @returns `true` when `docker image inspect` finds it.
 * @throws {Deno.errors.NotFound} When no `docker` binary is on PATH.
 * @example
 * ```ts ignore
 * import { imageExists } from "./mod.ts";
 * if (!(await imageExists("tntc-test/smoke:dev"))) console.log("not built yet");
 * ```
 */
export async function imageExists(tag: string): Promise<boolean> {
  const result = await runDocker(["image", "inspect", "--format", "{{.Id}}", tag]);
  return result.code === 0;
}
