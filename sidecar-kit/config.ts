/**
 * Runtime settings from the environment (`PORT`, `SHARED_DIR`, `MAX_CONCURRENCY`, ...), checked
 * all at once with a clear message per bad variable.
 * @module
 */

/** The kit's runtime settings. */
export interface SidecarConfig {
  /** `PORT`: listen port (default: the sidecar's `port`, 9000; 0 picks a free port). */
  port: number;
  /** `HOST`: listen address (default `0.0.0.0`, so the kubelet's readiness probe can reach it). */
  host: string;
  /** `SHARED_DIR`: real shared directory (default `/shared`). */
  sharedDir: string;
  /** `MAX_CONCURRENCY`: jobs running at once (default 2). */
  maxConcurrency: number;
  /** `MAX_QUEUE`: jobs waiting for a slot before 429 (default 16). */
  maxQueue: number;
  /** `JOB_TIMEOUT_MS`: per-job timeout (default 300000). */
  jobTimeoutMs: number;
  /** `BODY_LIMIT`: request body limit in bytes; accepts `512k`, `10mb`, `1gb` (default 10 MiB). */
  bodyLimit: number;
  /** `SHUTDOWN_GRACE_MS`: time running jobs get to finish after SIGTERM (default 25000). */
  shutdownGraceMs: number;
  /** `JOB_RETENTION_MS`: how long finished async jobs stay queryable (default 600000). */
  jobRetentionMs: number;
  /** `MAX_RETAINED_JOBS`: most finished async jobs kept (default 1000). */
  maxRetainedJobs: number;
  /** `LOG_LEVEL`: `debug` | `info` | `warn` | `error` (default `info`). */
  logLevel: "debug" | "info" | "warn" | "error";
  /** `TMPDIR`: where per-job scratch directories are made (default `/tmp`). */
  tmpDir: string;
}

/** Invalid environment; `issues` lists every bad variable, sorted. */
export class SidecarConfigError extends TypeError {
  /** One sentence per bad variable. */
  readonly issues: readonly string[];
  /**
   * Creates the error from its issues.
   * @param issues One sentence per bad variable.
   */
  constructor(issues: readonly string[]) {
    super(`invalid sidecar environment:\n  - ${issues.join("\n  - ")}`);
    this.name = "SidecarConfigError";
    this.issues = issues;
  }
}

const SIZE_RE = /^(\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNIT: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * Reads and validates the settings.
 *
 * @param env Variable lookup (default `Deno.env.get`); pass a record in tests.
 * @param defaults Per-sidecar defaults (e.g. `{ port: 9001 }`), below the environment.
 * @returns The settings.
 * @throws {SidecarConfigError} Naming every bad variable and what is allowed.
 * @example
 * ```ts
 * import { loadConfig } from "@tntc/sidecar-kit";
 * const c = loadConfig({ PORT: "9100", BODY_LIMIT: "2mb" });
 * if (c.port !== 9100 || c.bodyLimit !== 2 * 1024 * 1024) throw new Error();
 * ```
 */
export function loadConfig(
  env: Record<string, string | undefined> | ((name: string) => string | undefined) = (n) =>
    Deno.env.get(n),
  defaults: Partial<SidecarConfig> = {},
): SidecarConfig {
  const get = typeof env === "function" ? env : (n: string) => env[n];
  const issues: string[] = [];
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const raw = get(name)?.trim();
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}-${max}`;
      issues.push(`${name}="${raw}" must be an integer ${range}`);
      return fallback;
    }
    return n;
  };
  const size = (name: string, fallback: number) => {
    const raw = get(name)?.trim();
    if (raw === undefined || raw === "") return fallback;
    const m = SIZE_RE.exec(raw);
    const n = m ? Number(m[1]) * (UNIT[(m[2] ?? "b")[0]!.toLowerCase()] ?? 1) : NaN;
    if (!m || n < 1) {
      issues.push(`${name}="${raw}" must be a byte size >= 1 like 1048576, 512k, 10mb or 1gb`);
      return fallback;
    }
    return n;
  };
  const dir = (name: string, fallback: string) => {
    const raw = get(name)?.trim();
    if (raw === undefined || raw === "") return fallback;
    if (!raw.startsWith("/")) issues.push(`${name}="${raw}" must be an absolute path`);
    return raw;
  };
  /** `PORT`: 1024-65535 but 8080 (the engine's), as the Sidecar Specification says; 0 picks one. */
  const port = () => {
    const n = int("PORT", defaults.port ?? 9000, 0, 65535);
    if (n !== 0 && n < 1024) issues.push(`PORT="${n}" is out of range (1024-65535, or 0 for any)`);
    if (n === 8080) issues.push(`PORT="8080" is reserved for the engine`);
    return n;
  };
  const levelRaw = get("LOG_LEVEL")?.trim().toLowerCase() || (defaults.logLevel ?? "info");
  const logLevel = LEVELS.find((l) => l === levelRaw);
  if (!logLevel) issues.push(`LOG_LEVEL="${levelRaw}" must be one of ${LEVELS.join(", ")}`);
  const config: SidecarConfig = {
    port: port(),
    host: get("HOST")?.trim() || (defaults.host ?? "0.0.0.0"),
    sharedDir: dir("SHARED_DIR", defaults.sharedDir ?? "/shared"),
    maxConcurrency: int("MAX_CONCURRENCY", defaults.maxConcurrency ?? 2, 1),
    maxQueue: int("MAX_QUEUE", defaults.maxQueue ?? 16, 0),
    jobTimeoutMs: int("JOB_TIMEOUT_MS", defaults.jobTimeoutMs ?? 300_000, 1),
    bodyLimit: size("BODY_LIMIT", defaults.bodyLimit ?? 10 * 1024 * 1024),
    shutdownGraceMs: int("SHUTDOWN_GRACE_MS", defaults.shutdownGraceMs ?? 25_000, 0),
    jobRetentionMs: int("JOB_RETENTION_MS", defaults.jobRetentionMs ?? 600_000, 1),
    maxRetainedJobs: int("MAX_RETAINED_JOBS", defaults.maxRetainedJobs ?? 1000, 1),
    logLevel: logLevel ?? "info",
    tmpDir: dir("TMPDIR", defaults.tmpDir ?? "/tmp"),
  };
  if (issues.length > 0) throw new SidecarConfigError(issues.sort());
  return config;
}
