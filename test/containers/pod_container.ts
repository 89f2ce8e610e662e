/**
 * Starts one container the way a pod runs it: gVisor, host network, read-only
 * root, no capabilities, uid 65534, writable `/tmp` and `/shared` only.
 *
 * @module
 */

import { GenericContainer } from "testcontainers";
import { HealthUrlWaitStrategy } from "./_health_wait.ts";
import { configureTestcontainers } from "./_testcontainers_env.ts";
import { runDocker } from "./_docker_cli.ts";

/** The non-root user every pod container runs as (`nobody`). */
export const POD_UID = 65534;

/** Options for {@linkcode startPodContainer}. */
export interface PodContainerOptions {
  /** Image to run, e.g. from {@linkcode buildImage}. */
  image: string;
  /** Arguments after the image's entrypoint (for the base image: `deno` arguments). */
  cmd?: string[];
  /** Replaces the image's entrypoint. */
  entrypoint?: string[];
  /** Environment variables. */
  env?: Record<string, string>;
  /** The port the server listens on, on 127.0.0.1 (the host's loopback). */
  port: number;
  /**
   * Host directory mounted read-write at `/shared`; it is chowned to 65534 first.
   * Without it `/shared` is a fresh tmpfs, like a pod's `emptyDir` volume.
   */
  sharedDir?: string;
  /**
   * More host directories to bind-mount, e.g. the workflow at `/app` read-only, as the pod
   * mounts its ConfigMap. Read-only unless `readOnly: false`.
   */
  mounts?: BindMount[];
  /** Health path polled until it answers 200 (default `/health`). */
  healthPath?: string;
  /** How long to wait for health (default 60 s). */
  readyTimeoutMs?: number;
}

/** A host directory mounted into a pod container. */
export interface BindMount {
  /** Absolute host path. */
  source: string;
  /** Absolute path in the container. */
  target: string;
  /** Mount it read-only (default `true`). */
  readOnly?: boolean;
}

/** A running pod container. Dispose it (or call `stop`) to remove it. */
export interface StartedPod extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The Docker container id. */
  id: string;
  /**
   * Runs a command inside the container (by default as its user, 65534).
   *
   * @param command The argv, e.g. `["deno", "eval", "..."]` or `["ffmpeg", "-version"]`.
   * @param options `user` overrides the user, e.g. `"0"` to prove root is confined too.
   * @returns Exit code and output; a non-zero exit is not an error.
   */
  exec(command: string[], options?: { user?: string }): Promise<PodExecResult>;
  /** Everything the container wrote to stdout and stderr so far. */
  logs(): Promise<string>;
  /** Stops and removes the container; safe to call twice. */
  stop(): Promise<void>;
}

/** What {@linkcode StartedPod.exec} returns. */
export interface PodExecResult {
  /** The command's exit code. */
  exitCode: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** GenericContainer plus the two host settings testcontainers has no method for. */
class PodGenericContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.ReadonlyRootfs = true;
    this.hostConfig.Runtime = "runsc";
  }
}

/**
 * Starts a container with the pod's security settings and waits until it is healthy:
 * runtime `runsc` (gVisor), `--network host`, `--read-only`, `--cap-drop ALL`,
 * `--security-opt no-new-privileges`, `--user 65534`, a tmpfs at `/tmp`, and
 * `sharedDir` bind-mounted at `/shared` (a tmpfs there when no `sharedDir` is given). Readiness is polled on
 * `http://127.0.0.1:<port><healthPath>`, because with host networking there are no
 * mapped ports to wait on.
 *
 * @param options Image, command, port and mounts.
 * @returns The running container.
 * @throws {Error} When the container exits or stays unhealthy; the message holds the
 * last health answer and the container's log. The container is removed in that case.
 * @example
 * ```ts ignore
 * import { startPodContainer } from "./mod.ts";
 * await using pod = await startPodContainer({ image: "tntc-test/smoke:dev", port: 18080 });
 * const health = await fetch(`${pod.url}/health`);
 * ```
 */
export async function startPodContainer(options: PodContainerOptions): Promise<StartedPod> {
  configureTestcontainers();
  const url = `http://127.0.0.1:${options.port}`;
  const wait = new HealthUrlWaitStrategy(
    `${url}${options.healthPath ?? "/health"}`,
    options.readyTimeoutMs ?? 60_000,
  );
  let container = new PodGenericContainer(options.image)
    .withNetworkMode("host")
    .withDroppedCapabilities("ALL")
    .withSecurityOpt("no-new-privileges")
    .withUser(String(POD_UID))
    .withTmpFs({
      "/tmp": "rw,nosuid,nodev,size=256m",
      ...(options.sharedDir === undefined ? { "/shared": "rw,nosuid,nodev,mode=1777" } : {}),
    })
    .withEnvironment(options.env ?? {})
    .withLabels({ "tntc.test": "pod" })
    .withWaitStrategy(wait)
    .withStartupTimeout(options.readyTimeoutMs ?? 60_000);
  if (options.cmd) container = container.withCommand(options.cmd);
  if (options.entrypoint) container = container.withEntrypoint(options.entrypoint);
  // One call: testcontainers' withBindMounts replaces earlier binds.
  const binds = (options.mounts ?? []).map((mount) => ({
    source: mount.source,
    target: mount.target,
    mode: mount.readOnly === false ? "rw" as const : "ro" as const,
  }));
  if (options.sharedDir !== undefined) {
    await ownBy(options.sharedDir, POD_UID);
    binds.push({ source: options.sharedDir, target: "/shared", mode: "rw" });
  }
  if (binds.length > 0) container = container.withBindMounts(binds);
  const started = await container.start();
  let stopped: Promise<void> | undefined;
  const stop = () => stopped ??= started.stop({ remove: true, timeout: 5_000 }).then(() => {});
  return {
    url,
    id: started.getId(),
    exec: async (command, execOptions) => {
      const result = await started.exec(
        command,
        execOptions?.user ? { user: execOptions.user } : {},
      );
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    },
    logs: async () => {
      const result = await runDocker(["logs", started.getId()]);
      return `${result.stdout}${result.stderr}`;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Makes `dir` writable for `uid`: chown when we are root, else world-writable. */
async function ownBy(dir: string, uid: number): Promise<void> {
  try {
    await Deno.chown(dir, uid, uid);
  } catch (error) {
    if (!(error instanceof Deno.errors.PermissionDenied)) throw error;
    await Deno.chmod(dir, 0o1777);
  }
}
