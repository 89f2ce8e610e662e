import { derivePermissions, type EngineLayout, POD_LAYOUT, toDenoFlags } from "../flags/derive.ts";
import type { Workflow } from "../spec/schema.ts";

/**
 * Environment variables the engine process may read (`--allow-env=`): `LOG_TOKENS` and
 * `LOG_STREAM` (npm:yaml reads them while parsing workflow.yaml) and `TNTC_DEV` (set by
 * `tntc dev`; node code may check it, as the seed guide shows). Nothing else.
 */
export const ENGINE_ENV = ["LOG_TOKENS", "LOG_STREAM", "TNTC_DEV"] as const;

/**
 * V8 tuning of the engine process: a 1 MB young-generation semi-space. Measured with
 * `deno task bench:http` on 2 vCPUs: idle RSS 86.7 -> 78.6 MB (target <= 80 MB), RSS after
 * load 183 -> 136 MB, at about 7% more engine CPU per run.
 */
export const ENGINE_V8_FLAGS = "--v8-flags=--max-semi-space-size=1";

/**
 * `--no-code-cache`: compile the engine's modules from source at start instead of loading V8's
 * code cache from `DENO_DIR`. A cache hit deserializes bytecode for every function it holds,
 * used again or not; lazy compilation makes only what runs. Measured on the bench workflow
 * (`chain3`, 2 vCPUs): idle RSS 79.6-79.8 -> 76.3-76.5 MB, 60 ms more to `listening` (~320 ms).
 * In the pod `DENO_DIR` is read-only to uid 65534, so the cache could not be written there
 * anyway: locally the engine now starts as it does in the pod.
 */
export const ENGINE_CODE_CACHE_FLAG = "--no-code-cache";

/** The sandbox (Worker) code, relative to the install root; workers must be able to read it. */
export const SANDBOX_CODE_PATH = "engine/run";

/** Where the engine's own code and the `deno` executable are. */
export interface EngineInstall {
  /** The `deno` executable. */
  deno: string;
  /** Directory holding the workspace `deno.json` and `engine/main.ts`. */
  root: string;
  /** Extra `deno run` flags, e.g. `["--cached-only"]` in an image with a pre-filled cache. */
  denoFlags?: string[];
}

/** The engine image: code under `/opt/tntc`, `deno` on PATH, no network for module loading. */
export const POD_ENGINE_INSTALL: EngineInstall = {
  deno: "deno",
  root: "/opt/tntc",
  denoFlags: ["--cached-only"],
};

/**
 * This checkout: its root directory and the running `deno` executable.
 *
 * @returns The install of the repository this module is part of.
 * @throws {TypeError} When this module was not loaded from a file.
 * @example
 * ```ts
 * import { localEngineInstall } from "./engine_command.ts";
 * console.assert(localEngineInstall().root.endsWith("/"));
 * ```
 */
export function localEngineInstall(): EngineInstall {
  const url = new URL("../../", import.meta.url);
  if (url.protocol !== "file:") {
    throw new TypeError(`the engine must run from files to spawn itself, not ${url.href}`);
  }
  return { deno: Deno.execPath(), root: decodeURIComponent(url.pathname) };
}

/** Options of {@linkcode engineCommand}. */
export interface EngineCommandOptions {
  /** The engine's code and deno (default {@linkcode POD_ENGINE_INSTALL}). */
  install?: EngineInstall;
  /** Engine flags appended after the layout flags, e.g. `["--once"]` or `["--grace", "5s"]`. */
  engineArgs?: string[];
}

/**
 * The whole command line of the engine process for a workflow: `deno run` with exactly the
 * permissions derived from the workflow (never `-A`), the few extras the engine itself needs,
 * `engine/main.ts` and the layout as engine flags. `tntc dev`, `tntc run`, the tests and the
 * Kubernetes manifests all use this, so there is one truth.
 *
 * Extras beyond `derivePermissions`: `--no-prompt` (a missing permission fails, never waits
 * on a TTY), `--unstable-worker-options` (sandboxed node workers),
 * {@linkcode ENGINE_V8_FLAGS} and {@linkcode ENGINE_CODE_CACHE_FLAG} (memory), `--allow-env=` with
 * {@linkcode ENGINE_ENV} only, `--config` pointing at the engine's `deno.json`, and a second
 * `--allow-read=` for the sandbox code the node workers load ({@linkcode SANDBOX_CODE_PATH}).
 *
 * @param workflow The validated workflow.
 * @param layout Directories and listen address (default: the pod layout).
 * @param options Install location and extra engine flags.
 * @returns argv, starting with the `deno` executable.
 * @example
 * ```ts
 * import { engineCommand } from "./engine_command.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: a\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * const argv = engineCommand(wf);
 * console.assert(argv.includes("--allow-net=0.0.0.0:8080") && !argv.includes("-A"));
 * console.assert(argv.includes("/opt/tntc/engine/main.ts"));
 * ```
 */
export function engineCommand(
  workflow: Workflow,
  layout: EngineLayout = POD_LAYOUT,
  options: EngineCommandOptions = {},
): string[] {
  const install = options.install ?? POD_ENGINE_INSTALL;
  const root = install.root.endsWith("/") ? install.root : `${install.root}/`;
  return [
    install.deno,
    "run",
    "--no-prompt",
    "--unstable-worker-options",
    ENGINE_V8_FLAGS,
    ENGINE_CODE_CACHE_FLAG,
    `--config=${root}deno.json`,
    ...(install.denoFlags ?? []),
    `--allow-env=${ENGINE_ENV.join(",")}`,
    ...toDenoFlags(derivePermissions(workflow, layout)),
    // Deno merges repeated --allow-read flags; kept separate so the derived flags above stay
    // exactly as the Sidecar Specification prints them.
    `--allow-read=${root}${SANDBOX_CODE_PATH}`,
    `${root}engine/main.ts`,
    ...layoutArgs(layout),
    ...(options.engineArgs ?? []),
  ];
}

/**
 * The engine flags that tell `engine/main.ts` the layout its permissions were derived for.
 *
 * @param layout The layout.
 * @returns `["--workflow", app, "--listen", addr, "--secrets", dir, "--shared", dir, "--tmp", dir]`.
 * @example
 * ```ts
 * import { layoutArgs } from "./engine_command.ts";
 * import { POD_LAYOUT } from "../flags/derive.ts";
 * console.assert(layoutArgs(POD_LAYOUT).join(" ") ===
 *   "--workflow /app --listen 0.0.0.0:8080 --secrets /var/run/secrets --shared /shared --tmp /tmp");
 * ```
 */
export function layoutArgs(layout: EngineLayout): string[] {
  return [
    "--workflow",
    layout.appDir,
    "--listen",
    layout.listen,
    "--secrets",
    layout.secretsDir,
    "--shared",
    layout.sharedDir,
    "--tmp",
    layout.tmpDir,
  ];
}
