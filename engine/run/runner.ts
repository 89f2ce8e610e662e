import type { LoadedWorkflow } from "../spec/load.ts";
import type { RunnerOptions } from "./options.ts";
import { createInlineRunner } from "./_inline_runner.ts";
import { stdoutSink } from "./_log.ts";
import { buildPlan } from "./_plan.ts";
import { SandboxedRunner } from "./_sandboxed_runner.ts";
import { loadSecrets } from "./secrets.ts";
import type { WorkflowRunner } from "./types.ts";

/** The directory of the sandbox code; sandboxes (and so the engine) must be able to read it. */
export const SANDBOX_CODE_DIR: string = decodeURIComponent(
  new URL(".", import.meta.url).pathname,
).replace(/\/$/, "");

/**
 * Creates the runner of one workflow: loads its secrets, starts warm sandboxes (Workers with
 * at most the engine's permissions, narrowed per node to the hosts it declares) and imports
 * every node module in them, so the first run is as fast as the rest.
 *
 * The engine process needs `--unstable-worker-options` and read access to
 * {@linkcode SANDBOX_CODE_DIR} besides the workflow's derived flags.
 *
 * @param loaded The workflow and its directory (from `loadWorkflow`).
 * @param options Layout, log sink, secrets, pool sizes.
 * @returns A runner; call `close()` when done.
 * @throws {NodeLoadError} Listing every node module that cannot be loaded.
 * @throws {Deno.errors.NotCapable} When the engine may not read the sandbox code or the
 *   workflow directory.
 * @throws {TypeError} When the secrets cannot be loaded (every bad file listed).
 * @example
 * ```ts
 * import { createRunner } from "./runner.ts";
 * import { loadWorkflow } from "../spec/load.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/workflow.yaml`, 'name: hi\nversion: "1"\nnodes:\n  hi:\n    path: ./hi.ts\n');
 * await Deno.writeTextFile(`${dir}/hi.ts`, "export default (_ctx: unknown, input: string) => `hi ${input}`;\n");
 * const layout = { appDir: dir, secretsDir: `${dir}/secrets`, sharedDir: `${dir}/shared`, tmpDir: dir, listen: "127.0.0.1:0" };
 * const runner = await createRunner(await loadWorkflow(dir), { layout });
 * const result = await runner.run("you");
 * console.assert(result.success && result.outputs.hi === "hi you");
 * await runner.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function createRunner(
  loaded: LoadedWorkflow,
  options: RunnerOptions,
): Promise<WorkflowRunner> {
  const sandboxed = options.sandbox !== false;
  const granted = (desc: Deno.PermissionDescriptor) =>
    Deno.permissions.querySync(desc).state === "granted";
  if (sandboxed && !granted({ name: "read", path: SANDBOX_CODE_DIR })) {
    throw new Deno.errors.NotCapable(
      `the engine needs read access to its sandbox code: add ${SANDBOX_CODE_DIR} to --allow-read`,
    );
  }
  if (!granted({ name: "read", path: loaded.dir })) {
    throw new Deno.errors.NotCapable(
      `the engine needs read access to the workflow directory ${loaded.dir} (its node modules)`,
    );
  }
  const plan = buildPlan(loaded.workflow, {
    dir: loaded.dir,
    layout: options.layout,
    engineDir: SANDBOX_CODE_DIR,
    granted,
    retryBaseMs: options.retryBaseMs ?? 200,
    retryMaxMs: options.retryMaxMs ?? 10_000,
    logLevel: options.logLevel ?? "info",
  });
  const secrets = options.secrets ??
    await loadSecrets({ dir: options.layout.secretsDir, localFile: options.localSecretsFile });
  if (!sandboxed) return await createInlineRunner(plan, secrets, options);
  const warm = Math.max(1, options.warmSandboxes ?? 1);
  return await SandboxedRunner.create(
    plan,
    secrets,
    options.log ?? stdoutSink,
    options.killGraceMs ?? 250,
    {
      warm,
      max: Math.max(warm, options.poolSize ?? 8),
      spawnDelayMs: 20,
      fastGrowth: navigator.hardwareConcurrency,
      idleMs: 30_000,
      pipelineDepth: options.pipelineDepth ?? 16,
      pipelineMaxMs: 1,
    },
    options.loadTimeoutMs ?? 30_000,
  );
}
