/**
 * Writes the build context of the base image: a Dockerfile and a `rootfs/` tree.
 *
 * @module
 */

import { dirname, join } from "node:path";
import type { BaseImagePlan } from "./_base_image_plan.ts";

/**
 * Stages the planned files under `<context>/rootfs` and writes `<context>/Dockerfile`.
 * Files are hard-linked when possible (the context is thrown away after the build)
 * and copied otherwise.
 *
 * @param context An empty directory.
 * @param plan What to put where.
 * @returns Resolves once the context is complete.
 */
export async function stageRootfs(context: string, plan: BaseImagePlan): Promise<void> {
  const rootfs = join(context, "rootfs");
  await Deno.mkdir(rootfs);
  for (const link of plan.links) {
    await Deno.symlink(link.target, join(rootfs, link.path));
  }
  // Generated files first and never overwritten: a write must not go through a
  // hard link into a host file.
  for (const [path, text] of Object.entries(plan.texts)) {
    const target = join(rootfs, path);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, text, { mode: 0o644, createNew: true });
  }
  for (const file of plan.files) {
    const target = join(rootfs, file.target);
    await Deno.mkdir(dirname(target), { recursive: true });
    const source = await Deno.realPath(file.source);
    try {
      await Deno.link(source, target);
    } catch {
      await Deno.copyFile(source, target);
    }
  }
  // Writable for everyone like a real /tmp; /shared is normally a mounted volume.
  for (const [dir, mode] of [["tmp", 0o1777], ["shared", 0o1777], ["deno-dir", 0o755]] as const) {
    await Deno.mkdir(join(rootfs, dir), { recursive: true });
    await Deno.chmod(join(rootfs, dir), mode);
  }
  await Deno.writeTextFile(join(context, "Dockerfile"), plan.dockerfile);
}
