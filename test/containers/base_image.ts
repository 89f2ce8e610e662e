/**
 * The local stand-in for a public Deno base image, built without any registry.
 *
 * @module
 */

import { buildImage, imageExists } from "./build_image.ts";
import { type BaseImageOptions, planBaseImage } from "./_base_image_plan.ts";
import { stageRootfs } from "./_stage_rootfs.ts";
import { oncePerKey } from "./_once_per_key.ts";

export { type BaseImageOptions, DEFAULT_TOOLS } from "./_base_image_plan.ts";

/**
 * Makes sure a `FROM scratch` base image exists locally and returns its tag.
 *
 * The image holds Deno (at `/usr/bin/deno`, like `denoland/deno:distroless` has it
 * on PATH with `DENO_DIR=/deno-dir/`), the given tools, the shared libraries all of
 * them load (found with `ldd`), `tini` as `/tini` when the host has
 * `tini-static`, `/etc/passwd` with `nobody` (65534), CA certificates, and the
 * directories `/tmp` (1777), `/shared` and `/deno-dir`. The entrypoint runs
 * `deno`, so a derived image's `CMD` is e.g. `["run", "--allow-net", "main.ts"]`.
 *
 * The tag is `tntc-local/base:<hash>`, the hash covering every input file's path,
 * size and modification time; an existing image with that tag is reused, so only
 * a changed binary or library causes a rebuild. Concurrent callers (also in other
 * processes) wait for one build.
 *
 * @param options Which tools and Deno binary to ship.
 * @returns The image tag.
 * @throws {Error} When a tool is not on PATH (the message names every missing tool
 * and the Debian package), when `ldd` cannot resolve a library, or when the build fails.
 * @example
 * ```ts ignore
 * import { ensureBaseImage } from "./mod.ts";
 * const tag = await ensureBaseImage();
 * console.log(tag); // tntc-local/base:3f2a...
 * ```
 */
export function ensureBaseImage(options: BaseImageOptions = {}): Promise<string> {
  return buildOnce(options);
}

const buildOnce = oncePerKey(buildIfMissing);

async function buildIfMissing(options: BaseImageOptions): Promise<string> {
  const plan = await planBaseImage(options);
  const tag = `${options.repository ?? "tntc-local/base"}:${plan.hash.slice(0, 16)}`;
  if (await imageExists(tag)) return tag;
  using _lock = await lockFile(`${Deno.env.get("TMPDIR") ?? "/tmp"}/tntc-base-image.lock`);
  if (await imageExists(tag)) return tag; // another process built it while we waited
  const context = await Deno.makeTempDir({ prefix: "tntc-base-" });
  try {
    await stageRootfs(context, plan);
    await buildImage(context, tag);
  } finally {
    await Deno.remove(context, { recursive: true });
  }
  return tag;
}

async function lockFile(path: string): Promise<Disposable> {
  const file = await Deno.open(path, { create: true, write: true });
  await file.lock(true);
  return { [Symbol.dispose]: () => file.close() };
}
