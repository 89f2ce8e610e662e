/**
 * Prepares the Deno cache that a pod image needs to run code offline.
 *
 * @module
 */

/** Options for {@linkcode cacheDenoDir}. */
export interface CacheDenoDirOptions {
  /** Modules to cache, relative to `cwd` (their whole import graph is fetched). */
  entrypoints: string[];
  /** The directory to fill; copy it into the image at `/deno-dir/`. */
  denoDir: string;
  /** Where `deno cache` runs: the directory whose `deno.json` resolves the imports. */
  cwd: string;
}

/**
 * Fills a fresh `DENO_DIR` with everything `entrypoints` import (npm packages
 * included), by running `deno cache` on the host, where the npm registry is
 * reachable. `docker build` has no network and `deno compile` cannot fetch its
 * runtime offline, so images get their dependencies this way: copy the directory
 * to `/deno-dir/` (the base image's `DENO_DIR`) and start Deno with `--cached-only`,
 * which turns any missed dependency into an error instead of a download. A
 * read-only `/deno-dir` works: Deno then keeps transpiled code in memory.
 *
 * @param options Entrypoints, target directory and working directory.
 * @returns Resolves when the cache is complete.
 * @throws {Error} When `deno cache` fails; the message holds its output.
 * @example
 * ```ts ignore
 * import { cacheDenoDir } from "./mod.ts";
 * await cacheDenoDir({ entrypoints: ["main.ts"], denoDir: `${context}/deno-dir`, cwd: context });
 * ```
 */
export async function cacheDenoDir(options: CacheDenoDirOptions): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["cache", ...options.entrypoints],
    cwd: options.cwd,
    env: { DENO_DIR: options.denoDir, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `deno cache ${options.entrypoints.join(" ")} (in ${options.cwd}) failed with exit code ` +
        `${out.code}:\n${decoder.decode(out.stdout)}${decoder.decode(out.stderr)}`.trimEnd(),
    );
  }
}
