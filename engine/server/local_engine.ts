import type { EngineLayout } from "../flags/derive.ts";
import type { LoadedWorkflow } from "../spec/load.ts";
import { engineCommand, type EngineInstall, localEngineInstall } from "./engine_command.ts";

/** Options of {@linkcode localLayout}. */
export interface LocalLayoutOptions {
  /** Listen address (default `127.0.0.1:8080`; loopback only on a developer machine). */
  listen?: string;
  /** Shared dir (default `$SHARED_DIR`, else `<dir>/.tntc/shared`). */
  sharedDir?: string;
}

/**
 * The layout of an engine run on a developer machine: the workflow directory is the app dir,
 * secrets come from `<dir>/.secrets/` (Kubernetes-style files) and `<dir>/.secrets.yaml`,
 * shared and tmp dirs live under `<dir>/.tntc/` (shared: `$SHARED_DIR` when set).
 *
 * @param dir The absolute workflow directory.
 * @param options Listen address and shared dir.
 * @returns The layout.
 * @example
 * ```ts
 * import { localLayout } from "./local_engine.ts";
 * const layout = localLayout("/work/wf", { listen: "127.0.0.1:0", sharedDir: "/work/s" });
 * console.assert(layout.tmpDir === "/work/wf/.tntc/tmp" && layout.sharedDir === "/work/s");
 * ```
 */
export function localLayout(dir: string, options: LocalLayoutOptions = {}): EngineLayout {
  return {
    appDir: dir,
    secretsDir: `${dir}/.secrets`,
    sharedDir: options.sharedDir ?? `${dir}/.tntc/shared`,
    tmpDir: `${dir}/.tntc/tmp`,
    listen: options.listen ?? "127.0.0.1:8080",
  };
}

/** Options of {@linkcode spawnLocalEngine}. */
export interface SpawnLocalEngineOptions {
  /** The layout (see {@linkcode localLayout}). */
  layout: EngineLayout;
  /** Extra engine flags, e.g. `["--once"]`. */
  engineArgs?: string[];
  /** Where the engine's code is (default: this checkout). */
  install?: EngineInstall;
  /** stdin/stdout/stderr handling (default: inherit all). */
  stdio?: Pick<Deno.CommandOptions, "stdin" | "stdout" | "stderr">;
  /** Extra environment for the engine (on top of `TNTC_DEV=1`). */
  env?: Record<string, string>;
}

/**
 * Starts the engine as a real `deno run` subprocess with exactly the flags derived from the
 * workflow for `layout` ({@linkcode engineCommand}), `TNTC_DEV=1` as the seed guide describes,
 * in its own process group (so a terminal's Ctrl-C reaches it once, through the caller).
 * Creates the shared and tmp dirs first.
 *
 * @param loaded The loaded workflow.
 * @param options Layout, engine flags, install, stdio and env.
 * @returns The child process and the argv it was started with.
 * @example
 * ```ts ignore
 * const { child } = await spawnLocalEngine(loaded, { layout: localLayout(loaded.dir) });
 * await child.status;
 * ```
 */
export async function spawnLocalEngine(
  loaded: LoadedWorkflow,
  options: SpawnLocalEngineOptions,
): Promise<{ child: Deno.ChildProcess; argv: string[] }> {
  const { layout } = options;
  await Deno.mkdir(layout.sharedDir, { recursive: true });
  await Deno.mkdir(layout.tmpDir, { recursive: true });
  const localSecrets = `${loaded.dir}/.secrets.yaml`;
  const argv = engineCommand(loaded.workflow, layout, {
    install: options.install ?? localEngineInstall(),
    engineArgs: ["--local-secrets", localSecrets, ...(options.engineArgs ?? [])],
  });
  const [bin, ...args] = argv as [string, ...string[]];
  const child = new Deno.Command(bin, {
    args,
    cwd: loaded.dir,
    env: { TNTC_DEV: "1", ...options.env },
    detached: true,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
    ...options.stdio,
  }).spawn();
  return { child, argv };
}

/**
 * Forwards SIGINT and SIGTERM to a child until it exits, so stopping the CLI drains the
 * engine gracefully (a second signal makes the engine cancel in-flight runs).
 *
 * @param child The engine process.
 * @returns Its exit status.
 * @example
 * ```ts ignore
 * const status = await forwardSignals(child);
 * ```
 */
export async function forwardSignals(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  const forward = (signal: Deno.Signal) => () => {
    try {
      child.kill(signal);
    } catch {
      // Already exited.
    }
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    return await child.status;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}
