import { parseArgs } from "node:util";
import { type EngineLayout, POD_LAYOUT } from "../flags/derive.ts";
import { parseDuration } from "../spec/duration.ts";
import type { LogLevel } from "../run/context.ts";
import { LOG_LEVELS } from "./log.ts";

/** How the engine process runs: the layout plus limits. Parsed from its argv. */
export interface EngineConfig {
  /** Workflow, secrets, shared and tmp dirs, and the listen address. */
  layout: EngineLayout;
  /** A local secrets file (YAML/JSON) read after the secrets dir; used by `tntc dev`. */
  localSecretsFile?: string;
  /** Concurrent runs before 429 (default 32). */
  maxConcurrentRuns: number;
  /** Finished runs kept for `GET /runs/:id` (default 1000). */
  retainRuns: number;
  /** Request body limit in bytes (default 1 MiB). */
  maxBodyBytes: number;
  /** How long in-flight runs may finish after SIGTERM (default 20 s). */
  graceMs: number;
  /** Bound on the start-up wait for sidecars (default 60 s). */
  sidecarWaitMs: number;
  /** Lowest log level (default `info`). */
  logLevel: LogLevel;
  /** One-shot: read the input JSON from stdin, print the RunResult, exit 0 or 1. */
  once: boolean;
}

/** The engine's argv is wrong; lists every problem at once. */
export class EngineArgsError extends TypeError {
  /** One message per problem. */
  readonly problems: string[];

  /**
   * Creates the error.
   *
   * @param problems One message per problem.
   */
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "EngineArgsError";
    this.problems = problems;
  }
}

/** The engine's usage text. */
export const ENGINE_USAGE = `Usage: deno run <derived flags> engine/main.ts [options]

  --workflow <dir>            workflow directory (default /app)
  --listen <host:port>        listen address (default 0.0.0.0:8080; port 0 picks one)
  --secrets <dir>             mounted secrets (default /var/run/secrets)
  --shared <dir>              volume shared with sidecars (default /shared)
  --tmp <dir>                 scratch space (default /tmp)
  --local-secrets <file>      extra secrets file, e.g. .secrets.yaml (dev)
  --max-concurrent-runs <n>   runs at once before 429 (default 32)
  --retain-runs <n>           finished runs kept for GET /runs/:id (default 1000)
  --max-body-bytes <n>        request body limit (default 1048576)
  --grace <duration>          SIGTERM drain period (default 20s)
  --sidecar-wait <duration>   start-up wait for sidecars (default 60s; 0s skips)
  --log-level <level>         debug | info | warn | error (default info)
  --once                      run once: input JSON on stdin, RunResult on stdout`;

const OPTIONS = {
  workflow: { type: "string" },
  listen: { type: "string" },
  secrets: { type: "string" },
  shared: { type: "string" },
  tmp: { type: "string" },
  "local-secrets": { type: "string" },
  "max-concurrent-runs": { type: "string" },
  "retain-runs": { type: "string" },
  "max-body-bytes": { type: "string" },
  grace: { type: "string" },
  "sidecar-wait": { type: "string" },
  "log-level": { type: "string" },
  once: { type: "boolean" },
} as const;

/**
 * Parses the engine's argv (see {@linkcode ENGINE_USAGE}).
 *
 * @param argv The arguments after the script name.
 * @returns The config, defaults applied.
 * @throws {EngineArgsError} Listing every bad value at once, sorted by flag (or the first
 *   unknown flag).
 * @example
 * ```ts
 * import { parseEngineArgs } from "./engine_args.ts";
 * const config = parseEngineArgs(["--workflow", "/app", "--listen", "127.0.0.1:0", "--grace", "5s"]);
 * console.assert(config.graceMs === 5000 && config.layout.listen === "127.0.0.1:0");
 * ```
 */
export function parseEngineArgs(argv: readonly string[]): EngineConfig {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true }));
  } catch (cause) {
    throw new EngineArgsError([
      (cause as Error).message.replace(/\. To specify a positional.*$/s, ""),
    ]);
  }
  const problems: string[] = [];
  const str = (name: keyof typeof OPTIONS) => values[name] as string | undefined;
  const int = (name: keyof typeof OPTIONS, fallback: number) => {
    const text = str(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (Number.isInteger(n) && n > 0) return n;
    problems.push(`--${name}: expected a positive integer, got "${text}"`);
    return fallback;
  };
  const duration = (name: keyof typeof OPTIONS, fallback: number) => {
    const text = str(name);
    if (text === undefined) return fallback;
    if (/^0+(ms|s|m|h)?$/.test(text)) return 0;
    try {
      return parseDuration(text);
    } catch (err) {
      problems.push(`--${name}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const listen = str("listen") ?? POD_LAYOUT.listen;
  if (!/^[^\s:]+:\d{1,5}$/.test(listen) || Number(listen.split(":").at(-1)) > 65535) {
    problems.push(`--listen: expected host:port such as 0.0.0.0:8080, got "${listen}"`);
  }
  const level = str("log-level") ?? "info";
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    problems.push(`--log-level: expected one of ${LOG_LEVELS.join(", ")}, got "${level}"`);
  }
  const config: EngineConfig = {
    layout: {
      appDir: str("workflow") ?? POD_LAYOUT.appDir,
      secretsDir: str("secrets") ?? POD_LAYOUT.secretsDir,
      sharedDir: str("shared") ?? POD_LAYOUT.sharedDir,
      tmpDir: str("tmp") ?? POD_LAYOUT.tmpDir,
      listen,
    },
    maxConcurrentRuns: int("max-concurrent-runs", 32),
    retainRuns: int("retain-runs", 1000),
    maxBodyBytes: int("max-body-bytes", 1024 * 1024),
    graceMs: duration("grace", 20_000),
    sidecarWaitMs: duration("sidecar-wait", 60_000),
    logLevel: level as LogLevel,
    once: values.once === true,
  };
  const local = str("local-secrets");
  if (local !== undefined) config.localSecretsFile = local;
  if (problems.length > 0) throw new EngineArgsError(problems.sort());
  return config;
}

/**
 * Splits a `host:port` listen address.
 *
 * @param listen e.g. `0.0.0.0:8080`.
 * @returns The hostname and port.
 * @example
 * ```ts
 * import { splitListen } from "./engine_args.ts";
 * console.assert(splitListen("127.0.0.1:0").port === 0);
 * ```
 */
export function splitListen(listen: string): { hostname: string; port: number } {
  const at = listen.lastIndexOf(":");
  return { hostname: listen.slice(0, at), port: Number(listen.slice(at + 1)) };
}
