/**
 * Test helpers for sidecar authors: run a sidecar in-process against a temporary shared
 * directory, and check any running sidecar URL against the kit's HTTP contract.
 *
 * @example
 * ```ts
 * import { defineSidecar, job } from "@tntc/sidecar-kit";
 * import { checkConformance, startTestSidecar } from "@tntc/sidecar-kit/testing";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   jobs: { add: job({ input: z.object({ a: z.number() }), run: ({ a }) => ({ a }) }) },
 * });
 * await using t = await startTestSidecar(sidecar, { listen: true });
 * const report = await checkConformance(t.url!, { jobs: { add: { valid: { a: 1 } } } });
 * if (!report.ok) throw new Error(report.summary);
 * ```
 * @module
 */
import { createSidecarApp, type SidecarApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { serveSidecar, type ServingSidecar } from "./serve.ts";
import { createSharedPaths, type SharedPaths } from "./shared_paths.ts";
import type { Sidecar } from "./types.ts";
export { checkConformance } from "./_conformance.ts";
export type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceReport,
  JobProbe,
} from "./_conformance.ts";

/** Options of {@linkcode startTestSidecar}. */
export interface TestSidecarOptions {
  /** Extra environment (e.g. `{ MAX_CONCURRENCY: "1", JOB_TIMEOUT_MS: "500" }`). */
  env?: Record<string, string>;
  /** Also listen on `127.0.0.1:<random port>` (for `checkConformance` or real clients). */
  listen?: boolean;
  /** Echo log lines to stderr too (they are always captured in `logs`). */
  printLogs?: boolean;
}

/** A sidecar running in this process. */
export interface TestSidecar {
  /** The real temporary directory that plays `/shared`. */
  sharedDir: string;
  /** The temporary `TMPDIR` for job scratch directories. */
  tmpDir: string;
  /** Path helpers for `sharedDir`. */
  paths: SharedPaths;
  /** The app (use `app.app.request()` or {@linkcode TestSidecar.request}). */
  app: SidecarApp;
  /** Base URL when `listen` was set. */
  url: string | undefined;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  /** In-process request (no port). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs JSON to `/<job>`. */
  postJson(job: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Writes a file into the shared dir; returns its pod path (`/shared/...`). */
  writeShared(podPath: string, data: string | Uint8Array): Promise<string>;
  /** Stops jobs and the server, deletes the temporary directories. */
  close(): Promise<void>;
  /** Same as `close`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts `sidecar` in-process with fresh temporary `SHARED_DIR` and `TMPDIR`, waits for its
 * self-check, and captures its logs.
 *
 * @param sidecar From `defineSidecar`.
 * @param options Extra env, `listen`, `printLogs`.
 * @returns The running test sidecar; `close()` (or `await using`) cleans everything.
 * @throws {SidecarConfigError} For an invalid `env`.
 * @example
 * ```ts
 * import { defineSidecar, job } from "@tntc/sidecar-kit";
 * import { startTestSidecar } from "@tntc/sidecar-kit/testing";
 * import { z } from "zod";
 * const sidecar = defineSidecar({
 *   name: "demo",
 *   jobs: { add: job({ input: z.object({ a: z.number() }), run: ({ a }) => ({ a }) }) },
 * });
 * await using t = await startTestSidecar(sidecar);
 * const res = await t.postJson("add", { a: 2 });
 * if ((await res.json()).a !== 2) throw new Error();
 * ```
 */
export async function startTestSidecar(
  sidecar: Sidecar,
  options: TestSidecarOptions = {},
): Promise<TestSidecar> {
  const sharedDir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sidecar-shared-" }));
  const tmpDir = await Deno.realPath(await Deno.makeTempDir({ prefix: "sidecar-tmp-" }));
  const logs: Record<string, unknown>[] = [];
  const env = {
    LOG_LEVEL: "debug",
    ...options.env,
    SHARED_DIR: sharedDir,
    TMPDIR: tmpDir,
    HOST: "127.0.0.1",
    PORT: "0",
  };
  const removeDirs = async () => {
    await Deno.remove(sharedDir, { recursive: true }).catch(() => {});
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  };
  let config;
  try {
    config = loadConfig(env, { port: sidecar.port });
  } catch (e) {
    await removeDirs(); // a bad env must not leak the temp dirs
    throw e;
  }
  const logger = createLogger({
    level: config.logLevel,
    fields: { sidecar: sidecar.name },
    write: (line) => {
      logs.push(JSON.parse(line));
      // deno-lint-ignore no-console
      if (options.printLogs) console.error(line);
    },
  });
  const paths = await createSharedPaths(sharedDir);
  let served: ServingSidecar | undefined;
  let app: SidecarApp;
  if (options.listen) {
    served = await serveSidecar(sidecar, { config, logger, handleSignals: false });
    app = served.sidecar;
  } else {
    app = createSidecarApp(sidecar, { paths, config, logger });
  }
  await app.ready;
  const request = (path: string, init?: RequestInit) =>
    Promise.resolve(app.app.request(path, init));
  const close = async () => {
    if (served) await served.shutdown(0);
    else await app.close();
    await removeDirs();
  };
  return {
    sharedDir,
    tmpDir,
    paths,
    app,
    url: served?.url,
    logs,
    request,
    postJson: (job, body, headers = {}) =>
      request(`/${job}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      }),
    writeShared: async (podPath, data) => {
      const real = paths.toReal(podPath);
      await Deno.mkdir(real.slice(0, real.lastIndexOf("/")), { recursive: true });
      await (typeof data === "string"
        ? Deno.writeTextFile(real, data)
        : Deno.writeFile(real, data));
      return paths.toVirtual(real);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
