import type { LogLevel, NodeLogger } from "./context.ts";
import type { LogRecord } from "./options.ts";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const encoder = new TextEncoder();

let isoSecond = NaN;
let isoPrefix = "";

/**
 * `new Date(ms).toISOString()`, but ~1 µs cheaper per call: the formatted second is reused for
 * the next timestamps in the same second, and a run writes several per node.
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== isoSecond) {
    const text = new Date(second * 1000).toISOString();
    if (text.length !== 24) return new Date(whole).toISOString(); // years outside 0000-9999
    isoSecond = second;
    isoPrefix = text.slice(0, 20);
  }
  const milli = whole - second * 1000;
  return `${isoPrefix}${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

/** Whether a record at `level` passes the threshold `min`. */
export function enabled(level: LogLevel, min: LogLevel): boolean {
  return RANK[level] >= RANK[min];
}

/** Where a node's log records go, plus what identifies them. */
export interface LogTarget {
  emit: (record: LogRecord) => void;
  min: LogLevel;
  runId: string;
  node?: string;
  extra?: Record<string, unknown> | undefined;
}

/** Builds one structured record. */
export function makeRecord(
  target: LogTarget,
  level: LogLevel,
  msg: string,
  fields?: Record<string, unknown>,
): LogRecord {
  const record: LogRecord = {
    ...target.extra,
    time: isoTime(Date.now()),
    level,
    msg: String(msg),
    runId: target.runId,
  };
  if (target.node !== undefined) record.node = target.node;
  if (fields !== undefined) record.fields = fields;
  return record;
}

/** The `ctx.log` of one node. */
export function nodeLogger(target: LogTarget): NodeLogger {
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (enabled(level, target.min)) target.emit(makeRecord(target, level, msg, fields));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Renders a record as one JSON line, never throwing (odd fields become strings). */
export function formatRecord(record: LogRecord): string {
  try {
    return JSON.stringify(record);
  } catch (error) {
    const fields = `[unserialisable fields: ${(error as Error).message}]`;
    return JSON.stringify({ ...record, fields });
  }
}

/**
 * The default sink: one JSON line per record on stdout.
 *
 * @param record The record.
 */
export function stdoutSink(record: LogRecord): void {
  let bytes = encoder.encode(formatRecord(record) + "\n");
  while (bytes.length > 0) bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
}
