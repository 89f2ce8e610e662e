/**
 * `limitStream`: a request body on its way to a job, counted against the body limit and read in
 * sizes that keep Deno 2.9's HTTP/1 server from buffering the upload in memory.
 * @module
 */
import type { SidecarHttpError } from "./errors.ts";
import { tooLarge } from "./_request_body.ts";

/**
 * Bytes asked of a request body per read while the response has not started. On every body read
 * Deno 2.9's HTTP/1 server first moves up to the read's size from the socket into a
 * per-connection buffer, then hands out at most what is left of one chunk of the body's framing.
 * With `req.body`'s own 64 KiB reads and a client sending 64 KiB chunks, every other read returns
 * only a chunk's last bytes, so that buffer grows by up to half of what arrives, and each read
 * then moves all of it (`Vec::drain`), which slows reading further: a 100 MB upload peaked at
 * 50-150 MB of RSS. With 4 KiB reads it stays at a few MB and TCP flow control holds the client
 * back (measured by `bench/main.ts`).
 */
export const READ_BYTES = 4 * 1024;

/**
 * Bytes asked per read once the response streams (a job whose output began after the upload was
 * read, or whose held output passed its body limit, see `_spool.ts`). Then Deno 2.9 also reads
 * the socket ahead while it waits for response bytes, so the buffer fills whatever the read size,
 * and fewer, bigger reads (fewer moves of that buffer) drain it faster: 100 MB through `cat`
 * answered as it streamed took ~105 s with 4 KiB reads, 9-15 s with 64 KiB and 2-11 s with 1 MiB.
 */
export const STREAMING_READ_BYTES = 1024 * 1024;

/** Options of {@linkcode limitStream}. */
export interface LimitStreamOptions {
  /** Called once the limit is crossed (so a job reading the stream can be aborted). */
  onOverflow?: (error: SidecarHttpError) => void;
  /** Bytes to ask of a byte stream per read, asked before each read (default READ_BYTES). */
  readBytes?: () => number;
  /**
   * Called when reading the body fails (the client went away mid-upload), before the stream
   * errors: a consumer such as `ctx.pipe` only closes the tool's stdin then, which the tool
   * cannot tell from the end of the body.
   */
  onBroken?: (error: unknown) => void;
  /** Called once the whole body is read (at once for no body). */
  onEnd?: () => void;
}

/** Counts `n` more bytes: the 413 error once past the limit. */
type Count = (n: number) => SidecarHttpError | undefined;

/**
 * Passes the body through, counting bytes; past `limit` the stream errors with 413 and
 * `onOverflow` is called. A byte stream (a request body) is read into one reused buffer and the
 * result is a byte stream, so a BYOB reader (as `ctx.pipe` uses) gets the bytes without a new
 * `ArrayBuffer` per chunk.
 */
export function limitStream(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  options: LimitStreamOptions = {},
): ReadableStream<Uint8Array> {
  if (body === null) {
    options.onEnd?.();
    return new ReadableStream({ start: (c) => c.close() });
  }
  let seen = 0;
  const count: Count = (n) => {
    seen += n;
    if (seen <= limit) return undefined;
    const error = tooLarge(limit);
    options.onOverflow?.(error);
    return error;
  };
  const ended = <R extends ReadableStreamReadResult<Uint8Array>>(r: R): R => {
    if (r.done) options.onEnd?.();
    return r;
  };
  const broken = (error: unknown): never => {
    options.onBroken?.(error);
    throw error;
  };
  let byob: ReadableStreamBYOBReader;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch { // not a byte stream, e.g. a Request built in JS
    const reader = body.getReader();
    return limitChunks(() => reader.read().then(ended, broken), reader, count);
  }
  const reader = byob;
  const read = (view: Uint8Array<ArrayBuffer>) => reader.read(view).then(ended, broken);
  return limitBytes(read, reader, count, options.readBytes ?? (() => READ_BYTES));
}

/** Passes chunks on as they are; pull-based, so no queue: about one chunk in memory. */
function limitChunks(
  read: () => Promise<ReadableStreamReadResult<Uint8Array>>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: Count,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await read();
      if (r.done) return controller.close();
      const error = count(r.value.byteLength);
      if (error === undefined) return controller.enqueue(r.value);
      controller.error(error);
      await reader.cancel(error).catch(() => {});
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}

/** Reads `readBytes()` at a time into one buffer and copies into the consumer's buffers. */
function limitBytes(
  read: (
    view: Uint8Array<ArrayBuffer>,
  ) => Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>>>,
  reader: ReadableStreamBYOBReader,
  count: Count,
  readBytes: () => number,
): ReadableStream<Uint8Array> {
  let own = new ArrayBuffer(0);
  let pending: Uint8Array | undefined; // read but not passed on yet: a view of `own`
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: READ_BYTES, // the buffer a default reader's read gets
    async pull(controller) {
      if (pending === undefined) {
        const size = readBytes();
        if (own.byteLength !== size) own = new ArrayBuffer(size);
        const r = await read(new Uint8Array(own));
        if (r.done) {
          controller.close();
          controller.byobRequest?.respond(0);
          return;
        }
        own = r.value.buffer;
        const error = count(r.value.byteLength);
        if (error !== undefined) {
          controller.error(error);
          await reader.cancel(error).catch(() => {});
          return;
        }
        pending = r.value;
      }
      // Copied, never handed out: `own` is read into again.
      const request = controller.byobRequest;
      const view = request?.view;
      const n = Math.min(view?.byteLength ?? pending.byteLength, pending.byteLength);
      if (request && view) {
        new Uint8Array(view.buffer, view.byteOffset, n).set(pending.subarray(0, n));
        request.respond(n);
      } else {
        controller.enqueue(pending.slice(0, n));
      }
      pending = n < pending.byteLength ? pending.subarray(n) : undefined;
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
