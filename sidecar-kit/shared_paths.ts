/**
 * Maps pod-form paths (`/shared/...`) onto the configured shared directory and back, and confines
 * every path to it (no `..`, no NUL, no absolute path elsewhere, no symlink leading outside).
 * @module
 */

/** Why a path was refused; `reason` is the sentence shown to the client. */
export class SharedPathError extends RangeError {
  /** The offending path as given. */
  readonly path: string;
  /** What is wrong, e.g. `"must not contain '..' segments"`. */
  readonly reason: string;
  /**
   * Creates the error.
   * @param path The path as given.
   * @param reason What is wrong with it.
   * @param options Optional `cause`.
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`path "${path.replaceAll("\0", "\\0")}" ${reason}`, options);
    this.name = "SharedPathError";
    this.path = path;
    this.reason = reason;
  }
}

/** Options of {@linkcode SharedPaths.resolve}. */
export interface ResolveOptions {
  /** Require the path to exist (default false). */
  mustExist?: boolean;
  /** When it exists, require a regular file or a directory. */
  kind?: "file" | "dir";
}

/**
 * Path helpers confined to one real directory that the pod sees as `virtualRoot` (`/shared`).
 *
 * @example
 * ```ts
 * import { SharedPaths } from "@tntc/sidecar-kit";
 * const paths = new SharedPaths("/tmp/shared-demo");
 * if (paths.toReal("/shared/input/a.mp4") !== "/tmp/shared-demo/input/a.mp4") throw new Error();
 * if (paths.toVirtual("/tmp/shared-demo/out/1.jpg") !== "/shared/out/1.jpg") throw new Error();
 * ```
 */
export class SharedPaths {
  /** Real absolute directory (should already be canonical; see {@linkcode createSharedPaths}). */
  readonly root: string;
  /** The directory as written in the pod, `/shared` by default. */
  readonly virtualRoot: string;

  /**
   * Creates helpers for `root`, seen in the pod as `virtualRoot`.
   * @param root Real absolute directory (no trailing slash needed).
   * @param virtualRoot Pod-form root (default `/shared`).
   * @throws {TypeError} When either is not absolute.
   */
  constructor(root: string, virtualRoot = "/shared") {
    if (!root.startsWith("/") || !virtualRoot.startsWith("/")) {
      throw new TypeError(`shared roots must be absolute (got "${root}", "${virtualRoot}")`);
    }
    this.root = trimSlash(root);
    this.virtualRoot = trimSlash(virtualRoot);
  }

  /**
   * Maps a pod-form, relative or real path to the real path, purely lexically.
   * @param path `/shared/a/b`, `a/b` or `<root>/a/b`.
   * @returns The real absolute path.
   * @throws {SharedPathError} For NUL bytes, `..` segments, empty paths or absolute paths elsewhere.
   */
  toReal(path: string): string {
    if (typeof path !== "string" || path.length === 0) {
      throw new SharedPathError(String(path), "must be a non-empty path");
    }
    if (path.includes("\0")) throw new SharedPathError(path, "must not contain NUL bytes");
    const rel = stripRoot(path, this.virtualRoot) ?? stripRoot(path, this.root) ??
      (path.startsWith("/") ? undefined : path);
    if (rel === undefined) {
      throw new SharedPathError(path, `must be inside ${this.virtualRoot}`);
    }
    const parts = rel.split("/").filter((s) => s !== "" && s !== ".");
    if (parts.includes("..")) throw new SharedPathError(path, "must not contain '..' segments");
    return parts.length === 0 ? this.root : `${this.root}/${parts.join("/")}`;
  }

  /**
   * Maps a real path inside the root to its pod form.
   * @param realPath A path under {@linkcode SharedPaths.root}.
   * @returns The `/shared/...` form.
   * @throws {SharedPathError} When the path is outside the root.
   */
  toVirtual(realPath: string): string {
    const rel = stripRoot(realPath, this.root);
    if (rel === undefined) throw new SharedPathError(realPath, `is not inside ${this.root}`);
    const parts = rel.split("/").filter((s) => s !== "" && s !== ".");
    return parts.length === 0 ? this.virtualRoot : `${this.virtualRoot}/${parts.join("/")}`;
  }

  /**
   * Deeply replaces every string that is a real path inside the root by its pod form, so
   * responses always speak `/shared/...` whatever `SHARED_DIR` is.
   * @param value Any JSON-like value.
   * @returns A copy with paths mapped (other values untouched).
   */
  virtualize<T>(value: T): T {
    if (typeof value === "string") {
      return (stripRoot(value, this.root) === undefined ? value : this.toVirtual(value)) as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.virtualize(v)) as T;
    if (value !== null && typeof value === "object" && isPlain(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.virtualize(v);
      return out as T;
    }
    return value;
  }

  /**
   * {@linkcode SharedPaths.toReal} plus a file-system check: the deepest existing part of the
   * path, symlinks followed, must still be inside the root.
   * @param path Pod-form, relative or real path.
   * @param options `mustExist`, `kind`.
   * @returns The real (lexical) path.
   * @throws {SharedPathError} When it escapes, is a dangling symlink, is missing or has the wrong kind.
   */
  async resolve(path: string, options: ResolveOptions = {}): Promise<string> {
    const real = this.toReal(path);
    let probe = real;
    let exists = false;
    for (;;) {
      const info = await lstatOrNull(probe);
      if (info) {
        exists = probe === real;
        let canonical: string;
        try {
          canonical = await Deno.realPath(probe);
        } catch (cause) {
          throw new SharedPathError(path, "is a dangling or looping symbolic link", { cause });
        }
        if (stripRoot(canonical, this.root) === undefined) {
          throw new SharedPathError(path, `resolves outside ${this.virtualRoot} (symbolic link)`);
        }
        if (exists && options.kind) await checkKind(path, canonical, options.kind);
        break;
      }
      if (probe === this.root) break;
      probe = probe.slice(0, probe.lastIndexOf("/")) || "/";
    }
    if (options.mustExist && !exists) throw new SharedPathError(path, "does not exist");
    return real;
  }

  /**
   * {@linkcode SharedPaths.resolve} then creates the directory and any missing parents.
   * @param path Pod-form, relative or real path of a directory.
   * @returns The real path.
   * @throws {SharedPathError} When it escapes, or a file stands where it or a parent should be
   *   (a 400 for the client, named in pod form, rather than a file system error).
   */
  async ensureDir(path: string): Promise<string> {
    const real = await this.resolve(path);
    try {
      await Deno.mkdir(real, { recursive: true });
    } catch (cause) {
      if (
        cause instanceof Deno.errors.AlreadyExists || cause instanceof Deno.errors.NotADirectory
      ) {
        throw new SharedPathError(
          this.toVirtual(real),
          "cannot be a directory: it, or a folder above it, is a file",
          { cause },
        );
      }
      throw cause;
    }
    return real;
  }
}

/**
 * Builds {@linkcode SharedPaths} for a directory, canonicalising it first (symlinked `/tmp` etc.).
 * @param dir The real shared directory (e.g. `SHARED_DIR`).
 * @param virtualRoot Pod-form root (default `/shared`).
 * @returns The helpers.
 * @throws {Deno.errors.NotFound} When `dir` does not exist.
 * @example
 * ```ts
 * import { createSharedPaths } from "@tntc/sidecar-kit";
 * const dir = await Deno.makeTempDir();
 * const paths = await createSharedPaths(dir);
 * if (paths.toVirtual(paths.root) !== "/shared") throw new Error();
 * await Deno.remove(dir);
 * ```
 */
export async function createSharedPaths(
  dir: string,
  virtualRoot = "/shared",
): Promise<SharedPaths> {
  return new SharedPaths(await Deno.realPath(dir), virtualRoot);
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith("/") ? p.replace(/\/+$/, "") || "/" : p;
}

function stripRoot(path: string, root: string): string | undefined {
  if (root === "/") return path.startsWith("/") ? path.slice(1) : undefined;
  if (path === root) return "";
  return path.startsWith(root + "/") ? path.slice(root.length + 1) : undefined;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

async function lstatOrNull(p: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(p);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw e;
  }
}

async function checkKind(path: string, canonical: string, kind: "file" | "dir"): Promise<void> {
  const info = await Deno.stat(canonical);
  if (kind === "file" && !info.isFile) throw new SharedPathError(path, "is not a regular file");
  if (kind === "dir" && !info.isDirectory) throw new SharedPathError(path, "is not a directory");
}
