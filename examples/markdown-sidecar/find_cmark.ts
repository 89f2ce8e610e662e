/**
 * Locating the `cmark-gfm` binary: `CMARK_PATH` when set, else the first executable
 * `cmark-gfm` on `PATH`.
 * @module
 */

/** Where the binary was found and how. */
export interface CmarkBinary {
  /** Absolute path of the executable. */
  path: string;
  /** `"CMARK_PATH"` or `"PATH"`. */
  source: "CMARK_PATH" | "PATH";
}

/**
 * Finds `cmark-gfm`.
 *
 * @param env Environment lookup (default `Deno.env.get`).
 * @returns The absolute path and where it came from.
 * @throws {Deno.errors.NotFound} When `CMARK_PATH` does not name an executable file, or no
 *   `cmark-gfm` is on `PATH`; the message says how to install or point at one.
 * @example
 * ```ts
 * import { findCmark } from "./find_cmark.ts";
 * const bin = findCmark((name) => name === "PATH" ? "/usr/bin:/bin" : undefined);
 * if (!bin.path.endsWith("/cmark-gfm")) throw new Error(bin.path);
 * ```
 */
export function findCmark(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): CmarkBinary {
  const explicit = env("CMARK_PATH");
  if (explicit !== undefined && explicit !== "") {
    if (!isExecutableFile(explicit)) {
      throw new Deno.errors.NotFound(
        `CMARK_PATH="${explicit}" is not an executable file; unset it to search PATH`,
      );
    }
    return { path: explicit, source: "CMARK_PATH" };
  }
  const dirs = (env("PATH") ?? "").split(":").filter((d) => d.startsWith("/"));
  for (const dir of dirs) {
    const candidate = `${dir.replace(/\/+$/, "")}/cmark-gfm`;
    if (isExecutableFile(candidate)) return { path: candidate, source: "PATH" };
  }
  throw new Deno.errors.NotFound(
    `cmark-gfm not found on PATH (${dirs.join(":") || "empty"}): ` +
      "install it (Debian: apt-get install cmark-gfm) or set CMARK_PATH",
  );
}

function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && info.mode !== null && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
