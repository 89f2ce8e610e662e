import type { LogLevel } from "../run/context.ts";

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
  return new JsonLinesLogger(
    RANK[options.level ?? "info"],
    options.write ?? writeStdout,
    options.now ?? Date.now,
    { ...options.fields },
  );
}

// A class, not closures: `child()` runs once per HTTP request and must be cheap.
class JsonLinesLogger implements EngineLogger {
  constructor(
    readonly min: number,
    readonly write: (line: string) => void,
    readonly now: () => number,
    readonly base: Record<string, unknown>,
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.#emit("debug", msg, fields);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.#emit("info", msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.#emit("warn", msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.#emit("error", msg, fields);
  }

  child(fields: Record<string, unknown>): EngineLogger {
    return new JsonLinesLogger(this.min, this.write, this.now, { ...this.base, ...fields });
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  #emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.min) return;
    const line = { time: new Date(this.now()).toISOString(), level, msg, ...this.base, ...fields };
    this.write(JSON.stringify(line, replacer));
  }
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
