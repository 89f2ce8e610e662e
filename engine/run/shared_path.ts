/** Where the shared volume is mounted in a pod; the form of paths sidecars return. */
export const POD_SHARED_DIR = "/shared";

/**
 * Maps a pod-form path on the shared volume (`/shared/...`, as sidecars return them) to the
 * real path under `sharedDir`, the directory the engine uses as `/shared` (`/shared` itself in
 * a pod, e.g. `<workflow>/.tntc/shared` under `tntc dev`). `.` and `..` segments are resolved;
 * a path that is not inside `/shared`, or leaves it through `..`, is refused. This is what
 * `ctx.sharedPath()` does with the engine's shared directory.
 *
 * @param sharedDir The real directory behind `/shared` (absolute).
 * @param podPath An absolute path inside `/shared`, e.g. `/shared/output/job/frame_0001.jpg`.
 * @returns The real path, e.g. `<sharedDir>/output/job/frame_0001.jpg` (`sharedDir` itself
 *   for `/shared`).
 * @throws {RangeError} Naming the path when it is not inside `/shared` or escapes it.
 * @throws {TypeError} When `podPath` is not a string.
 * @example
 * ```ts
 * import { mapSharedPath } from "./shared_path.ts";
 * console.assert(mapSharedPath("/work/wf/.tntc/shared", "/shared/output/a.jpg") ===
 *   "/work/wf/.tntc/shared/output/a.jpg");
 * console.assert(mapSharedPath("/shared", "/shared/in/./b.mp4") === "/shared/in/b.mp4");
 * try {
 *   mapSharedPath("/shared", "/shared/../etc/passwd");
 * } catch (err) {
 *   console.assert(err instanceof RangeError);
 * }
 * ```
 */
export function mapSharedPath(sharedDir: string, podPath: string): string {
  if (typeof podPath !== "string") {
    throw new TypeError(`shared path must be a string like "/shared/...", got ${typeof podPath}`);
  }
  const rest = podPath.startsWith(POD_SHARED_DIR) ? podPath.slice(POD_SHARED_DIR.length) : null;
  if (rest === null || (rest !== "" && !rest.startsWith("/"))) {
    throw new RangeError(
      `"${podPath}" is not a path inside ${POD_SHARED_DIR} (the shared volume); ` +
        `expected e.g. "${POD_SHARED_DIR}/output/frame_0001.jpg"`,
    );
  }
  const segments: string[] = [];
  for (const segment of rest.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") segments.push(segment);
    else if (segments.pop() === undefined) {
      throw new RangeError(
        `"${podPath}" leaves ${POD_SHARED_DIR} (the shared volume) through ".."`,
      );
    }
  }
  const root = sharedDir.length > 1 ? sharedDir.replace(/\/+$/, "") : sharedDir;
  if (segments.length === 0) return root;
  return `${root === "/" ? "" : root}/${segments.join("/")}`;
}
