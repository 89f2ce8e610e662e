import { DEFAULT_PORTS, type Workflow } from "../spec/schema.ts";

/** Where the engine container finds things; the pod layout of the Sidecar Specification. */
export interface EngineLayout {
  /** Workflow code (read-only). Default `/app`. */
  appDir: string;
  /** Mounted secrets. Default `/var/run/secrets`. */
  secretsDir: string;
  /** Shared volume with the sidecars. Default `/shared`. */
  sharedDir: string;
  /** Scratch space. Default `/tmp`. */
  tmpDir: string;
  /** The engine's own listen address. Default `0.0.0.0:8080`. */
  listen: string;
}

/** The pod layout of the Sidecar Specification. */
export const POD_LAYOUT: EngineLayout = {
  appDir: "/app",
  secretsDir: "/var/run/secrets",
  sharedDir: "/shared",
  tmpDir: "/tmp",
  listen: "0.0.0.0:8080",
};

/** The Deno permissions a workflow's engine runs with. */
export interface DenoPermissions {
  /** `host:port` entries for `--allow-net`, in order. */
  net: string[];
  /** Paths for `--allow-read`. */
  read: string[];
  /** Paths for `--allow-write`. */
  write: string[];
}

/**
 * Derives the engine's Deno permissions from a workflow: declared dependencies as
 * `host:port`, then `localhost:PORT` per sidecar, then the listen address; read and write
 * only the pod's directories, plus the shared volume when sidecars exist. Nothing broader.
 *
 * @param workflow The validated workflow.
 * @param layout Directories and listen address (defaults to the pod layout).
 * @returns The permission lists, without duplicates, in a stable order.
 * @example
 * ```ts
 * import { derivePermissions } from "./derive.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow(
 *   "name: a\nversion: \"1\"\nsidecars:\n  - name: ffmpeg\n    image: x\n    port: 9000\n" +
 *     "nodes:\n  n:\n    path: ./n.ts\n",
 * );
 * console.assert(derivePermissions(wf).net.join(",") === "localhost:9000,0.0.0.0:8080");
 * ```
 */
export function derivePermissions(
  workflow: Workflow,
  layout: EngineLayout = POD_LAYOUT,
): DenoPermissions {
  const hasSidecars = (workflow.sidecars?.length ?? 0) > 0;
  const net = [
    ...Object.values(workflow.contract?.dependencies ?? {}).map((d) => dependencyAddress(d)),
    ...(workflow.sidecars ?? []).map((s) => `localhost:${s.port}`),
    layout.listen,
  ];
  const read = [layout.appDir, layout.secretsDir, ...(hasSidecars ? [layout.sharedDir] : [])];
  const write = [layout.tmpDir, ...(hasSidecars ? [layout.sharedDir] : [])];
  return { net: unique(net), read: unique(read), write: unique(write) };
}

/**
 * The `host:port` a dependency is reached at, with the protocol's default port.
 *
 * @param dep A contract dependency.
 * @returns e.g. `api.openai.com:443`.
 * @throws {RangeError} When the protocol has no default port and none is given.
 * @example
 * ```ts
 * import { dependencyAddress } from "./derive.ts";
 * console.assert(dependencyAddress({ protocol: "https", host: "api.openai.com" }) === "api.openai.com:443");
 * ```
 */
export function dependencyAddress(
  dep: { protocol: string; host: string; port?: number | undefined },
): string {
  const port = dep.port ?? DEFAULT_PORTS[dep.protocol];
  if (port === undefined) {
    throw new RangeError(
      `dependency ${dep.host}: protocol "${dep.protocol}" has no default port; set port`,
    );
  }
  return `${dep.host}:${port}`;
}

/**
 * Renders permissions as `deno run` flags.
 *
 * @param perms The permissions.
 * @returns `["--allow-net=...", "--allow-read=...", "--allow-write=..."]`.
 * @example
 * ```ts
 * import { toDenoFlags } from "./derive.ts";
 * const flags = toDenoFlags({ net: ["0.0.0.0:8080"], read: ["/app"], write: ["/tmp"] });
 * console.assert(flags[0] === "--allow-net=0.0.0.0:8080");
 * ```
 */
export function toDenoFlags(perms: DenoPermissions): string[] {
  return [
    `--allow-net=${perms.net.join(",")}`,
    `--allow-read=${perms.read.join(",")}`,
    `--allow-write=${perms.write.join(",")}`,
  ];
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
