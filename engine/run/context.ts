/**
 * The `tentacular` module: the types node code is written against.
 *
 * A node is a module whose default export is `run(ctx, input)`:
 *
 * ```ts
 * import type { Context } from "tentacular";
 * export default async function run(ctx: Context, input: unknown): Promise<unknown> {
 *   ctx.log.info("hello", { input });
 *   return { ok: true };
 * }
 * ```
 *
 * The import is type-only, so node code runs without resolving `tentacular` at all; type
 * checking resolves it through the `imports` map of a `deno.json` (the repository's root one,
 * or the one `tntc init` writes next to a workflow).
 *
 * @module
 */
export { SidecarError } from "./sidecar_error.ts";
export { mapSharedPath, POD_SHARED_DIR } from "./shared_path.ts";

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured logging for one node: each call writes one JSON line. */
export interface NodeLogger {
  /** Logs at debug level (dropped unless the engine's log level is `debug`). */
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Logs at info level. */
  info(msg: string, fields?: Record<string, unknown>): void;
  /** Logs at warn level. */
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** Logs at error level. */
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Secrets by secret name, then key: `ctx.secrets.openai.token`. */
export type Secrets = Record<string, Record<string, string>>;

/** Connection metadata of a declared contract dependency. */
export interface DependencyInfo {
  /** The dependency's name in `contract.dependencies`. */
  name: string;
  /** Its protocol, e.g. `https` or `postgresql`. */
  protocol: string;
  /** Host name, e.g. `api.openai.com`. */
  host: string;
  /** Port (the protocol's default when not declared). */
  port: number;
  /** Base URL `protocol://host[:port]` (the port is left out when it is the default). */
  url: string;
  /** Declared auth: type, secret reference `<name>.<key>` and (api-key) header. */
  auth?: { type: "bearer-token" | "api-key" | "basic"; secret: string; header?: string };
}

/** A client for one declared sidecar, from `ctx.sidecar(name)`. */
export interface SidecarClient {
  /** The sidecar's name. */
  readonly name: string;
  /** Its base URL, e.g. `http://localhost:9000`. */
  readonly url: string;
  /**
   * Sends a request to the sidecar. Waits until its health path answers 200, retries while the
   * connection is refused (with backoff), and stops when `ctx.signal` aborts.
   *
   * @param path A path starting with `/`, e.g. `/extract-frames`.
   * @param init Fetch options; the body must be replayable (not a stream) to be retried.
   * @returns The response, when its status is 2xx.
   * @throws {SidecarError} With the status and the sidecar's `{ "error": ... }` text otherwise.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Sends JSON and parses the JSON answer: POST with `body` as JSON, or GET without a body.
   *
   * @param path A path starting with `/`.
   * @param body The request body, serialised as JSON.
   * @returns The parsed response body.
   * @throws {SidecarError} As {@linkcode SidecarClient.fetch}, or when the answer is not JSON.
   */
  json<T = unknown>(path: string, body?: unknown): Promise<T>;
}

/** What a node's `run(ctx, input)` receives as `ctx`. */
export interface Context {
  /** The id of this run (also in every log line). */
  readonly runId: string;
  /** The name of the running node. */
  readonly node: string;
  /** The workflow's `config` block, including `timeout` and `retries`. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Secrets from the mounted secrets directory (and a local file in dev). */
  readonly secrets: Readonly<Secrets>;
  /** Aborted when this node times out or the run is cancelled or hits its deadline. */
  readonly signal: AbortSignal;
  /** Structured JSON logging with time, level, node and run id. */
  readonly log: NodeLogger;
  /**
   * The real directory behind the shared volume: `/shared` in a pod; locally the engine's
   * shared dir (`tntc dev`: `<workflow>/.tntc/shared` or `$SHARED_DIR`). Sidecars return
   * paths in pod form (`/shared/...`); read them with {@linkcode Context.sharedPath}.
   * Readable and writable by node code when the workflow declares sidecars.
   */
  readonly sharedDir: string;
  /**
   * Maps a pod-form path on the shared volume to the real local path under
   * {@linkcode Context.sharedDir} (the same path in a pod). `.` and `..` segments are resolved.
   *
   * @param podPath An absolute path inside `/shared`, e.g. `/shared/output/job/frame_0001.jpg`.
   * @returns The real path, e.g. `<sharedDir>/output/job/frame_0001.jpg`.
   * @throws {RangeError} Naming the path when it is not inside `/shared` or leaves it via `..`.
   * @throws {TypeError} When `podPath` is not a string.
   */
  sharedPath(podPath: string): string;
  /**
   * Fetches `path` from a declared contract dependency, adding its auth header (only ever for
   * that dependency's own origin, also across redirects).
   *
   * @param dependency The dependency's name in `contract.dependencies`.
   * @param path A path (and query) starting with `/`.
   * @param init Fetch options.
   * @returns The response.
   * @throws {ReferenceError} When the dependency is not declared for this node.
   * @throws {TypeError} When `path` is not a path or the protocol is not http(s).
   */
  fetch(dependency: string, path: string, init?: RequestInit): Promise<Response>;
  /**
   * Connection metadata of a declared dependency.
   *
   * @param name The dependency's name in `contract.dependencies`.
   * @returns Its protocol, host, port, base URL and auth declaration.
   * @throws {ReferenceError} Naming the contract's dependencies when `name` is not one of them.
   */
  dependency(name: string): DependencyInfo;
  /**
   * A client for a declared sidecar.
   *
   * @param name The sidecar's name in `sidecars:`.
   * @returns A client that waits for readiness and retries refused connections.
   * @throws {ReferenceError} When the sidecar is not declared (for this node).
   */
  sidecar(name: string): SidecarClient;
}

/**
 * The signature of a node module's default export. It returns (or resolves to) its output:
 * JSON data — objects, arrays, strings, numbers, booleans, `null`, and objects with `toJSON()`
 * such as `Date`, nested at most 512 levels. Outputs go into the run's JSON result, so a
 * function, `Map`, `Set`, typed array, `Error`, bigint or cycle fails the node (with the path
 * to the value) instead of being lost on the way.
 */
export type NodeFunction = (ctx: Context, input: unknown) => unknown;
