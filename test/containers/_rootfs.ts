/**
 * Plans and stages the root filesystem of the local base image: binaries from the
 * host plus the shared libraries `ldd` says they load, at the paths the host uses.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/** One file to place into the image. */
export interface RootfsFile {
  /** Absolute path of the source on the host. */
  source: string;
  /** Absolute path inside the image. */
  target: string;
}

/** The libraries `ldd` listed, and the names it could not resolve. */
export interface LddResult {
  /** Absolute library paths, in output order, without duplicates. */
  paths: string[];
  /** Library names printed as `=> not found`. */
  missing: string[];
}

/**
 * Parses the output of `ldd <binary>`.
 *
 * @param output The standard output of `ldd`.
 * @returns The absolute library paths and the unresolved names (the vDSO is skipped).
 */
export function parseLdd(output: string): LddResult {
  const paths: string[] = [];
  const missing: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    const arrow = /^(\S+)\s+=>\s+(.*)$/.exec(line);
    const target = arrow ? arrow[2]!.replace(/\s*\(0x[0-9a-f]+\)$/, "") : line.split(/\s+/)[0];
    if (arrow && target === "not found") missing.push(arrow[1]!);
    else if (target?.startsWith("/") && !paths.includes(target)) paths.push(target);
  }
  return { paths, missing };
}

/**
 * Finds an executable on PATH.
 *
 * @param name The command name, e.g. `ffmpeg`.
 * @returns The absolute path, or `undefined` when no PATH entry has it.
 */
export function which(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0) & 0o111) !== 0) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Lists the shared libraries a dynamically linked binary loads.
 *
 * @param binary Absolute path of the binary.
 * @returns The absolute library paths (empty for a static binary).
 * @throws {Error} When `ldd` reports libraries it cannot find.
 */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const out = await new Deno.Command("ldd", { args: [binary], stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    // ldd exits 1 for static binaries ("not a dynamic executable"): nothing to copy.
    return [];
  }
  const { paths, missing } = parseLdd(text);
  if (missing.length > 0) {
    throw new Error(`${binary} needs libraries that are not installed: ${missing.join(", ")}`);
  }
  return paths;
}

/**
 * Maps a library path as `ldd` printed it to its place in the image: the real
 * directory on the host (so `/lib/x86_64-linux-gnu` becomes `/usr/lib/...` on a
 * merged-/usr system) with the name the loader asks for (the soname, not the
 * versioned file a symlink points to).
 *
 * @param library The absolute path printed by `ldd`.
 * @returns The file to copy.
 */
export function libraryFile(library: string): RootfsFile {
  return { source: library, target: join(Deno.realPathSync(dirname(library)), basename(library)) };
}

/**
 * Top-level directories that are symlinks on the host (`/bin -> usr/bin` on
 * merged-/usr systems); the image mirrors them so every library path resolves.
 *
 * @returns Pairs of link path and link target.
 */
export function hostTopLevelLinks(): Array<{ path: string; target: string }> {
  const links: Array<{ path: string; target: string }> = [];
  for (const name of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    try {
      links.push({ path: `/${name}`, target: Deno.readLinkSync(`/${name}`) });
    } catch {
      // a real directory, or absent: nothing to mirror
    }
  }
  return links;
}
