import type { LogLevel } from "../run/context.ts";
import { isoTime } from "../run/_log.ts";

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
  /** Receives each JSON line without the newline (default: stdout, batched per turn). */
  write?: (line: string) => void;
  /** Called after each `warn` or `error` line, so a batching `write` sends it at once. */
  flush?: () => void;
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
  const sink = options.write ? { write: options.write, flush: options.flush } : stdoutLines();
  return new JsonLinesLogger(
    RANK[options.level ?? "info"],
    sink.write,
    sink.flush ?? (() => {}),
    options.now ?? Date.now,
    { ...options.fields },
  );
}

// A class, not closures: `child()` runs once per HTTP request and must be cheap.
class JsonLinesLogger implements EngineLogger {
  constructor(
    readonly min: number,
    readonly write: (line: string) => void,
    readonly flush: () => void,
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
    const base = { ...this.base, ...fields };
    return new JsonLinesLogger(this.min, this.write, this.flush, this.now, base);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.min;
  }

  #emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < this.min) return;
    const line = { time: isoTime(this.now()), level, msg, ...this.base, ...fields };
    // The replacer makes JSON.stringify several times slower; most lines hold only primitives.
    this.write(JSON.stringify(line, flat(this.base) && flat(fields) ? undefined : replacer));
    if (RANK[level] >= RANK.warn) this.flush();
  }
}

/** Whether no value of `fields` is an object or a bigint (nothing for the replacer to do). */
function flat(fields: Record<string, unknown> | undefined): boolean {
  for (const key in fields) {
    const type = typeof fields[key];
    if ((type === "object" && fields[key] !== null) || type === "bigint") return false;
  }
  return true;
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return typeof value === "bigint" ? value.toString() : value;
}

const encoder = new TextEncoder();

/** Bytes buffered before a write at once. */
const BATCH_BYTES = 64 * 1024;

/**
 * Longest a line waits for its write. One timer per flush, so under load one per this many ms
 * rather than one per event-loop turn (each timer cost a few µs of the engine's main thread).
 */
const FLUSH_MS = 5;

/**
 * A line sink that joins the lines of a few milliseconds into one write: one `writeSync` per
 * line cost the engine about 15% of its runs/s under load. Each line is encoded at once into
 * one reused buffer, so no line string outlives its call: held strings survived into V8's old
 * generation under load and cost the engine about 9% of its runs/s in garbage collection. It
 * flushes {@linkcode FLUSH_MS} after the first line it holds, when the next line would not fit
 * in 64 KiB, when `flush()` is called (the logger does after `warn` and `error`) and on
 * `unload` (which `Deno.exit` dispatches).
 *
 * @param stream Where the lines go, e.g. `Deno.stdout`.
 * @returns `write(line)` (no newline) and `flush()`.
 * @example
 * ```ts
 * import { batchedLines } from "./log.ts";
 * const chunks: string[] = [];
 * const out = { writeSync: (b: Uint8Array) => (chunks.push(new TextDecoder().decode(b)), b.length) };
 * const sink = batchedLines(out);
 * sink.write("a");
 * sink.write("b");
 * sink.flush();
 * console.assert(chunks.join("|") === "a\nb\n");
 * ```
 */
export function batchedLines(
  stream: { writeSync(p: Uint8Array): number },
): { write(line: string): void; flush(): void } {
  const buffer = new Uint8Array(BATCH_BYTES);
  let used = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const writeAll = (bytes: Uint8Array) => {
    while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
  };
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (used === 0) return;
    const bytes = buffer.subarray(0, used);
    used = 0;
    writeAll(bytes);
  };
  /** Appends `line` and a newline when both fit. */
  const append = (line: string) => {
    const { read, written } = encoder.encodeInto(line, buffer.subarray(used, BATCH_BYTES - 1));
    if (read < line.length) return false;
    used += written;
    buffer[used++] = 10;
    return true;
  };
  globalThis.addEventListener("unload", flush);
  return {
    write(line) {
      if (!append(line)) {
        flush();
        if (!append(line)) return writeAll(encoder.encode(line + "\n")); // over 64 KiB
      }
      if (used >= BATCH_BYTES) return flush();
      if (timer === undefined) {
        const t = timer = setTimeout(flush, FLUSH_MS);
        Deno.unrefTimer(t); // never keeps the process alive: unload flushes
      }
    },
    flush,
  };
}

let stdout: ReturnType<typeof batchedLines> | undefined;

/** The process's one batched stdout sink, made on first use. */
function stdoutLines(): ReturnType<typeof batchedLines> {
  return stdout ??= batchedLines(Deno.stdout);
}
