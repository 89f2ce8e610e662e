/**
 * One-line JSON logger (`{"time","level","msg",...fields}`) with a pluggable sink.
 * @module
 */
import type { Logger } from "./types.ts";

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Lowest level written (default `info`). */
  level?: LogLevel;
  /** Receives each JSON line (default: stdout). Inject an array push in tests. */
  write?: (line: string) => void;
  /** Fields added to every line (e.g. `{ sidecar: "ffmpeg" }`). */
  fields?: Record<string, unknown>;
  /** Clock (default `Date.now`). */
  now?: () => number;
}

/** A {@linkcode Logger} that can derive children with extra fields. */
export interface JsonLogger extends Logger {
  /** A logger writing to the same sink with `fields` added. */
  child(fields: Record<string, unknown>): JsonLogger;
  /** True when `level` would be written (skip building expensive fields otherwise). */
  enabled(level: LogLevel): boolean;
}

/**
 * Creates a JSON-lines logger.
 *
 * @param options Level, sink, base fields, clock.
 * @returns The logger.
 * @example
 * ```ts
 * import { createLogger } from "@tntc/sidecar-kit";
 * const lines: string[] = [];
 * const log = createLogger({ write: (l) => lines.push(l), fields: { sidecar: "demo" } });
 * log.child({ job: "x" }).info("done", { ms: 3 });
 * const rec = JSON.parse(lines[0]!);
 * if (rec.msg !== "done" || rec.job !== "x" || rec.sidecar !== "demo") throw new Error();
 * ```
 */
export function createLogger(options: LoggerOptions = {}): JsonLogger {
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? writeStdout;
  const now = options.now ?? Date.now;
  const make = (base: Record<string, unknown>): JsonLogger => {
    const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < min) return;
      const rec = { time: new Date(now()).toISOString(), level, msg, ...base, ...fields };
      write(JSON.stringify(rec, replacer));
    };
    return {
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
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
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}
