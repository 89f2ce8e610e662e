/**
 * Builds an image of Deno code from this workspace, offline: only the modules it loads, a
 * cut-down `deno.json`/`deno.lock`, and a `DENO_DIR` cached on the host.
 *
 * @module
 */

import { ensureBaseImage } from "./base_image.ts";
import { buildImage, imageExists } from "./build_image.ts";
import { cacheDenoDir } from "./deno_dir.ts";
import { runDocker } from "./_docker_cli.ts";
import { type AppContextPlan, planAppContext } from "./_app_context.ts";
import { oncePerKey } from "./_once_per_key.ts";

/** Options for {@linkcode buildAppImage}. */
export interface AppImageOptions {
  /** The Dockerfile, relative to the checkout, e.g. `Dockerfile.engine`. */
  dockerfile: string;
  /** Repository-relative modules the image runs; their module graphs are what ships. */
  entrypoints: readonly string[];
  /** Repository of the default tag, e.g. `tntc-local/engine`. */
  repository: string;
  /** The base image (default: the local stand-in from {@linkcode ensureBaseImage}). */
  baseImage?: string;
  /** The tag to give the image (default `<repository>:<hash of every input>`). */
  tag?: string;
  /** The checkout to build from (default: the one this module is part of). */
  repoRoot?: string;
}

const REPO_ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);

/**
 * Builds an image whose Dockerfile copies a prepared context: `tntc/` (the local modules of
 * the entrypoints' module graphs, found with `deno info`, at their repository paths, plus a
 * `deno.json` and `deno.lock` cut down to the workspace members, imports and npm packages those
 * graphs use) and `deno-dir/` (filled by `deno cache` on the host, where npm is reachable;
 * `docker build` has no network). The code then runs with `--cached-only`.
 *
 * The default tag hashes every input, so an unchanged checkout reuses its image (≈ 0.5 s to
 * check) and older tags of the repository are removed after a build; concurrent callers, also
 * in other processes, wait for one build.
 *
 * @param options Dockerfile, entrypoints, tag and base image.
 * @returns The image tag.
 * @throws {Error} When `deno info`, `deno cache` or `docker build` fails; the message holds the
 * tool's output.
 * @example
 * ```ts ignore
 * import { buildAppImage } from "./mod.ts";
 * const image = await buildAppImage({
 *   dockerfile: "Dockerfile.engine",
 *   entrypoints: ["engine/main.ts", "engine/run/_worker.ts"],
 *   repository: "tntc-local/engine",
 * });
 * ```
 */
export function buildAppImage(options: AppImageOptions): Promise<string> {
  return buildOnce(options);
}

const buildOnce = oncePerKey(buildIfMissing);

async function buildIfMissing(options: AppImageOptions): Promise<string> {
  const root = options.repoRoot ?? REPO_ROOT;
  const baseImage = options.baseImage ?? await ensureBaseImage();
  const dockerfile = await Deno.readTextFile(`${root}/${options.dockerfile}`);
  const plan = await planAppContext(root, options.entrypoints, dockerfile, baseImage);
  const tag = options.tag ?? `${options.repository}:${plan.hash.slice(0, 16)}`;
  const reusable = options.tag === undefined;
  if (reusable && await imageExists(tag)) return tag;
  const lockName = options.repository.replaceAll(/[^A-Za-z0-9]+/g, "-");
  using _lock = await lockFile(`${Deno.env.get("TMPDIR") ?? "/tmp"}/tntc-image-${lockName}.lock`);
  if (reusable && await imageExists(tag)) return tag; // another process built it meanwhile
  const context = await Deno.makeTempDir({ prefix: "tntc-app-image-" });
  try {
    await stageContext(context, root, plan, options.entrypoints, dockerfile);
    await buildImage(context, tag, { BASE_IMAGE: baseImage });
  } finally {
    await Deno.remove(context, { recursive: true });
  }
  if (reusable) await removeOlderTags(options.repository, tag);
  return tag;
}

/** Lays out `Dockerfile`, `tntc/` and `deno-dir/`. */
async function stageContext(
  context: string,
  root: string,
  plan: AppContextPlan,
  entrypoints: readonly string[],
  dockerfile: string,
): Promise<void> {
  const code = `${context}/tntc`;
  for (const file of plan.files) {
    await Deno.mkdir(`${code}/${file.slice(0, file.lastIndexOf("/") + 1)}`, { recursive: true });
    await Deno.copyFile(`${root}/${file}`, `${code}/${file}`);
  }
  await Deno.writeTextFile(`${code}/deno.json`, plan.config);
  await Deno.writeTextFile(`${code}/deno.lock`, plan.lock);
  await Deno.writeTextFile(`${context}/Dockerfile`, dockerfile);
  // Cached against the staged copy, so the lock that ships is the one deno prunes there.
  await cacheDenoDir({ entrypoints: [...entrypoints], denoDir: `${context}/deno-dir`, cwd: code });
  // Code transpiled at host paths is useless in the image.
  await Deno.remove(`${context}/deno-dir/gen`, { recursive: true }).catch(() => {});
}

/** Drops other tags of `repository`; a tag still used by a container stays. */
async function removeOlderTags(repository: string, current: string): Promise<void> {
  const listed = await runDocker([
    "image",
    "ls",
    "--format",
    "{{.Repository}}:{{.Tag}}",
    repository,
  ]);
  const older = listed.stdout.split("\n").filter((tag) => tag !== "" && tag !== current);
  if (older.length > 0) await runDocker(["image", "rm", ...older]);
}

async function lockFile(path: string): Promise<Disposable> {
  const file = await Deno.open(path, { create: true, write: true });
  await file.lock(true);
  return { [Symbol.dispose]: () => file.close() };
}
