/**
 * Where `/shared` really is for node code: the pod mounts the volume at `/shared`; `tntc dev`
 * uses a local directory.
 * @module
 */
import type { Context } from "tentacular";

/**
 * The engine's real directory behind `/shared`: `ctx.sharedDir` when the engine provides it;
 * else, under `tntc dev` (`TNTC_DEV` set), its default `<workflow>/.tntc/shared`; else
 * `/shared`, the real path in a pod.
 *
 * @param ctx The node context.
 * @returns An absolute directory path without a trailing slash.
 * @example
 * ```ts ignore
 * const root = sharedRoot(ctx); // "/shared" in a pod
 * ```
 */
export function sharedRoot(ctx: Context): string {
  const given = (ctx as Context & { sharedDir?: unknown }).sharedDir;
  if (typeof given === "string") return given.replace(/\/+$/, "");
  let dev: string | undefined;
  try {
    dev = Deno.env.get("TNTC_DEV");
  } catch {
    dev = undefined; // no env permission: not under tntc dev
  }
  return dev ? decodeURIComponent(new URL("../.tntc/shared", import.meta.url).pathname) : "/shared";
}

/**
 * Maps a `/shared/...` pod path to the real path.
 *
 * @param ctx The node context.
 * @param podPath A path starting with `/shared/` and without `..` segments.
 * @returns The real path.
 * @throws {RangeError} When `podPath` is not inside `/shared`.
 * @example
 * ```ts ignore
 * await Deno.readFile(toReal(ctx, "/shared/output/abc/frame_0001.jpg"));
 * ```
 */
export function toReal(ctx: Context, podPath: string): string {
  if (!isSharedPath(podPath)) {
    throw new RangeError(`"${podPath}" is not a path inside /shared`);
  }
  return sharedRoot(ctx) + podPath.slice("/shared".length);
}

/**
 * Whether `path` is a `/shared/...` pod path without `..` segments.
 *
 * @param path Any string.
 * @returns `true` for e.g. `/shared/input/a.mp4`.
 * @example
 * ```ts
 * import { isSharedPath } from "./shared_root.ts";
 * console.assert(isSharedPath("/shared/a.mp4") && !isSharedPath("/shared/../etc/passwd"));
 * ```
 */
export function isSharedPath(path: string): boolean {
  return path.startsWith("/shared/") && !path.split("/").includes("..");
}
