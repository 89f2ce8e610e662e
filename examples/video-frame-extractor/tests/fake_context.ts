/**
 * A `ctx` for unit-testing node functions directly, without the engine: the shared directory,
 * config, declared dependencies and sidecars are injected; log lines are captured.
 * @module
 */
import type { Context, DependencyInfo, NodeLogger, SidecarClient } from "tentacular";
import { mapSharedPath } from "tentacular";

/** Options of {@linkcode fakeContext}. */
export interface FakeContextOptions {
  /** The real directory playing `/shared` (`ctx.sharedDir`; `ctx.sharedPath` maps into it). */
  sharedDir: string;
  /** `ctx.config`. */
  config?: Record<string, unknown>;
  /** Declared dependencies by name → base URL, e.g. `{ "video-source": "http://127.0.0.1:4000" }`. */
  dependencies?: Record<string, string>;
  /** Declared sidecars by name → handler of `(path, init)`. */
  sidecars?: Record<string, (path: string, init?: RequestInit) => Promise<Response>>;
  /** `ctx.runId` (default `"run-1"`). */
  runId?: string;
}

/** A captured log line. */
export interface LoggedLine {
  /** Level. */
  level: keyof NodeLogger;
  /** Message. */
  msg: string;
  /** Fields. */
  fields?: Record<string, unknown>;
}

/**
 * Builds a context for calling `run(ctx, input)` directly.
 *
 * @param options Shared dir, config, dependencies, sidecars and run id.
 * @returns The context plus the captured `logs`.
 * @example
 * ```ts
 * import { fakeContext } from "./fake_context.ts";
 * const ctx = fakeContext({ sharedDir: "/tmp/x", config: { fps: 1 } });
 * ctx.log.info("hello");
 * console.assert(ctx.logs[0]?.msg === "hello" && ctx.config.fps === 1);
 * ```
 */
export function fakeContext(
  options: FakeContextOptions,
): Context & { logs: LoggedLine[] } {
  const logs: LoggedLine[] = [];
  const line = (level: keyof NodeLogger) => (msg: string, fields?: Record<string, unknown>) => {
    logs.push({ level, msg, ...(fields ? { fields } : {}) });
  };
  const deps = options.dependencies ?? {};
  const dependency = (name: string): DependencyInfo => {
    const url = deps[name];
    if (url === undefined) throw new ReferenceError(`dependency "${name}" is not declared`);
    const u = new URL(url);
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    return { name, protocol: u.protocol.slice(0, -1), host: u.hostname, port, url: u.origin };
  };
  const controller = new AbortController();
  return {
    runId: options.runId ?? "run-1",
    node: "test",
    config: options.config ?? {},
    secrets: {},
    signal: controller.signal,
    log: { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") },
    sharedDir: options.sharedDir,
    sharedPath: (podPath) => mapSharedPath(options.sharedDir, podPath),
    logs,
    dependency,
    fetch: (name, path, init) => globalThis.fetch(dependency(name).url + path, init),
    sidecar: (name): SidecarClient => {
      const handler = options.sidecars?.[name];
      if (handler === undefined) throw new ReferenceError(`sidecar "${name}" is not declared`);
      const client: SidecarClient = {
        name,
        url: `http://sidecar.test/${name}`,
        fetch: handler,
        json: async <T>(path: string, body?: unknown) =>
          (await (await handler(path, {
            method: body === undefined ? "GET" : "POST",
            headers: { "content-type": "application/json" },
            body: body === undefined ? null : JSON.stringify(body),
          })).json()) as T,
      };
      return client;
    },
  };
}
