/**
 * Decides whether container tests run: they need a Docker daemon with the gVisor
 * (`runsc`) runtime. In CI (`CI=true`) a missing daemon fails the tests loudly;
 * elsewhere they are skipped with the reason printed — reported as ignored, never
 * as passed.
 *
 * @module
 */

import { runDocker } from "./_docker_cli.ts";

/** Whether container tests can run here, and why not. */
export interface DockerGate {
  /** Pass as `Deno.test`'s `ignore`: true only outside CI when Docker is unusable. */
  ignore: boolean;
  /** Why Docker is unusable, or `undefined` when it is ready. */
  reason: string | undefined;
}

let cached: Promise<string | undefined> | undefined;
let reported = false;

/**
 * Checks for the docker CLI, a daemon that answers, and its `runsc` runtime.
 *
 * @returns The gate; never throws (a problem becomes `reason`).
 * @example
 * ```ts ignore
 * import { requireDocker } from "./mod.ts";
 * const gate = await requireDocker();
 * Deno.test({ name: "a container test", ignore: gate.ignore, fn() {} });
 * ```
 */
export async function requireDocker(): Promise<DockerGate> {
  const reason = await (cached ??= findProblem());
  const ci = Deno.env.get("CI") === "true";
  if (reason !== undefined && !ci && !reported) {
    reported = true;
    // deno-lint-ignore no-console
    console.warn(`skipping container tests: ${reason}`);
  }
  return { ignore: reason !== undefined && !ci, reason };
}

/**
 * Registers a container test: skipped (ignored) locally when Docker is unusable,
 * failing with the reason in CI. Resource and op sanitizers are off because the
 * Docker client keeps sockets pooled between tests.
 *
 * @param name The test name, as a sentence.
 * @param fn The test body.
 * @returns Resolves once the test is registered; call it with top-level `await`.
 * @example
 * ```ts ignore
 * import { containerTest } from "./mod.ts";
 * await containerTest("the image runs deno", async () => {});
 * ```
 */
export async function containerTest(
  name: string,
  fn: (t: Deno.TestContext) => Promise<void>,
): Promise<void> {
  const gate = await requireDocker();
  Deno.test({
    name,
    ignore: gate.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      if (gate.reason !== undefined) {
        throw new Error(`container tests must run in CI (CI=true) but cannot: ${gate.reason}`);
      }
      await fn(t);
    },
  });
}

async function findProblem(): Promise<string | undefined> {
  let info;
  try {
    info = await runDocker(["info", "--format", "{{json .Runtimes}}"]);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return "the docker CLI is not installed (apt-get install -y docker.io runsc)";
    }
    throw error;
  }
  if (info.code !== 0) {
    const detail = `${info.stderr}${info.stdout}`.trim().split("\n")[0];
    return `the Docker daemon does not answer (${detail}); start it with scripts/start_dockerd.sh`;
  }
  const runtimes = Object.keys(JSON.parse(info.stdout || "{}"));
  if (!runtimes.includes("runsc")) {
    return `Docker has no "runsc" (gVisor) runtime (it has: ${runtimes.join(", ")}); ` +
      `install runsc and register it as scripts/start_dockerd.sh does`;
  }
  return undefined;
}
