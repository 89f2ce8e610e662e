/**
 * What goes into an image of Deno code from this workspace (the engine, a sidecar): the module
 * graphs of its entrypoints (and nothing else of the repository), a `deno.json` and `deno.lock`
 * cut down to what those graphs use, and a hash of it all that serves as the image tag.
 *
 * @module
 */

/** Bump when the context layout changes, so that older images are not reused. */
const LAYOUT_VERSION = "1";

/** A build context, planned from a checkout. */
export interface AppContextPlan {
  /** Repository-relative source files the entrypoints load, sorted. */
  files: string[];
  /** npm package names the module graph imports, sorted. */
  npmPackages: string[];
  /** The image's `deno.json`: the root one with only the used imports and members. */
  config: string;
  /** The root `deno.lock` with only the used packages' specifiers (`deno cache` prunes the rest). */
  lock: string;
  /** SHA-256 (hex) over the files, config, lock, Dockerfile and base image. */
  hash: string;
}

interface DenoInfo {
  modules: Array<{ specifier: string }>;
}

/**
 * Plans the build context of an image that runs `entrypoints` from the checkout at `root`.
 *
 * @param root The repository root (holds the workspace `deno.json` and `deno.lock`).
 * @param entrypoints Repository-relative modules the image runs (e.g. a main and a worker).
 * @param dockerfile The Dockerfile text (part of the hash).
 * @param baseImage The base image (part of the hash).
 * @returns The plan.
 * @throws {Error} When `deno info` fails or the code imports a file outside the checkout.
 */
export async function planAppContext(
  root: string,
  entrypoints: readonly string[],
  dockerfile: string,
  baseImage: string,
): Promise<AppContextPlan> {
  const prefix = new URL(`file://${root.endsWith("/") ? root : `${root}/`}`).href;
  const files = new Set<string>();
  const npmPackages = new Set<string>();
  for (const entrypoint of entrypoints) {
    for (const { specifier } of (await denoInfo(root, entrypoint)).modules) {
      if (specifier.startsWith("npm:")) npmPackages.add(npmName(specifier));
      else if (specifier.startsWith(prefix)) {
        files.add(decodeURIComponent(specifier.slice(prefix.length)));
      } else if (specifier.startsWith("file:")) {
        throw new Error(`${entrypoints.join(", ")} import ${specifier}, outside ${root}`);
      }
    }
  }
  const rootConfig = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
  const members = ((rootConfig.workspace ?? []) as string[])
    .filter((member) => [...files].some((file) => `./${file}`.startsWith(`${member}/`)));
  for (const member of members) files.add(`${member.slice(2)}/deno.json`);
  const imports = Object.fromEntries(
    Object.entries((rootConfig.imports ?? {}) as Record<string, string>).filter(([, target]) =>
      target.startsWith("npm:") ? npmPackages.has(npmName(target)) : files.has(target.slice(2))
    ),
  );
  const { tasks: _tasks, ...kept } = rootConfig;
  const config = `${JSON.stringify({ ...kept, workspace: members, imports }, null, 2)}\n`;
  const lockJson = JSON.parse(await Deno.readTextFile(`${root}/deno.lock`));
  lockJson.specifiers = Object.fromEntries(
    Object.entries((lockJson.specifiers ?? {}) as Record<string, string>)
      .filter(([specifier]) => specifier.startsWith("npm:") && npmPackages.has(npmName(specifier))),
  );
  const lock = `${JSON.stringify(lockJson, null, 2)}\n`;
  const sorted = [...files].sort();
  const hash = await sha256Hex([
    LAYOUT_VERSION,
    Deno.version.deno,
    ...entrypoints,
    baseImage,
    dockerfile,
    config,
    lock,
    ...await Promise.all(sorted.map(async (file) => `${file}\n${await readText(root, file)}`)),
  ].join("\0"));
  return { files: sorted, npmPackages: [...npmPackages].sort(), config, lock, hash };
}

/**
 * The package name of an npm specifier.
 *
 * @param specifier e.g. `npm:hono@^4`, `npm:/hono@4.13.19/route` or `npm:@scope/pkg@1/x`.
 * @returns e.g. `hono` or `@scope/pkg`.
 */
export function npmName(specifier: string): string {
  const rest = specifier.replace(/^npm:\/?/, "");
  const at = rest.indexOf("@", 1);
  const slash = rest.indexOf("/", rest.startsWith("@") ? rest.indexOf("/") + 1 : 0);
  const ends = [at, slash].filter((i) => i > 0);
  return ends.length === 0 ? rest : rest.slice(0, Math.min(...ends));
}

async function denoInfo(root: string, entrypoint: string): Promise<DenoInfo> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entrypoint],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `deno info ${entrypoint} (in ${root}) failed with exit code ${out.code}:\n` +
        new TextDecoder().decode(out.stderr).trimEnd(),
    );
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

async function readText(root: string, file: string): Promise<string> {
  return await Deno.readTextFile(`${root}/${file}`);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
