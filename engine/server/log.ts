/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** The log levels in order, for validating `--log-level`. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A structured logger: one JSON object per line. */
export interface EngineLogger {
  /** Writes a `debug` line. */
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Writes an `info` line. */
  info(msg: string, fields?: Record<string, unknown>): void;
  /** Writes a `warn` line. */
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** Writes an `error` line. */
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger writing to the same sink with `fields` on every line (e.g. `requestId`). */
  child(fields: Record<string, unknown>): EngineLogger;
  /** True when `level` would be written. */
  enabled(level: LogLevel): boolean;
}

/** Options of {@linkcode createEngineLogger}. */
export interface EngineLoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Receives each JSON line without the newline (default: stdout). */
  write?: (line: string) => void;
  /** Fields on every line. */
  fields?: Record<string, unknown>;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates the engine's JSON-lines logger: `{"time","level","msg",...fields}` per line.
 * Errors in fields are written as `{ name, message, stack }`.
 *
 * @param options Level, sink, base fields and clock.
 * @returns The logger.
 * @example
 * ```ts
 * import { createEngineLogger } from "./log.ts";
 * const lines: string[] = [];
 * const log = createEngineLogger({ write: (l) => lines.push(l), now: () => 0 });
 * log.child({ requestId: "r1" }).info("run finished", { runId: "x" });
 * console.assert(lines[0] ===
 *   '{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"run finished","requestId":"r1","runId":"x"}');
 * ```
 */
export function createEngineLogger(options: EngineLoggerOptions = {}): EngineLogger {
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? writeStdout;
  const now = options.now ?? Date.now;
  const make = (base: Record<string, unknown>): EngineLogger => {
    const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < min) return;
      const line = { time: new Date(now()).toISOString(), level, msg, ...base, ...fields };
      write(JSON.stringify(line, replacer));
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...base, ...fields }),
      enabled: (level) => RANK[level] >= min,
    };
  };
  return make({ ...options.fields });
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return typeof value === "bigint" ? value.toString() : value;
}

const encoder = new TextEncoder();

function writeStdout(line: string): void {
  const bytes = encoder.encode(line + "\n");
  let offset = 0;
  while (offset < bytes.length) offset += Deno.stdout.writeSync(bytes.subarray(offset));
}
