/**
 * Feeding a child's stdin from a string, bytes or a stream, without a new buffer per chunk.
 * @module
 */

/** Writes stdin in the background; a child that exits early (EPIPE) is not an error here. */
export function feedStdin(
  child: Deno.ChildProcess,
  data: ReadableStream<Uint8Array> | Uint8Array | string,
): void {
  const stream = typeof data === "string" || data instanceof Uint8Array
    ? new Blob([typeof data === "string" ? data : new Uint8Array(data)]).stream()
    : data;
  pump(stream, child.stdin).catch(() => {});
}

/** Size of the one buffer {@linkcode pump} reads a byte stream into. */
const PUMP_BYTES = 64 * 1024;

/**
 * `source.pipeTo(dest)`, except that a byte stream is read into one reused buffer (BYOB). A
 * default reader gets a new `ArrayBuffer` per chunk, which V8 frees only at a later GC: streaming
 * 100 MB in 64 KiB chunks kept 35-65 MB of them alive at the peak (`bench/main.ts`).
 */
async function pump(
  source: ReadableStream<Uint8Array>,
  dest: WritableStream<Uint8Array>,
): Promise<void> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = source.getReader({ mode: "byob" });
  } catch {
    return await source.pipeTo(dest); // not a byte stream
  }
  const writer = dest.getWriter();
  let buffer = new ArrayBuffer(PUMP_BYTES);
  try {
    for (;;) {
      const r = await reader.read(new Uint8Array(buffer));
      if (r.done) break;
      await writer.write(r.value); // settles once the bytes are in the pipe: `buffer` is free
      buffer = r.value.buffer;
    }
  } catch (error) {
    // As pipeTo: a failed read aborts the destination, a failed write cancels the source.
    await Promise.allSettled([reader.cancel(error), writer.abort(error)]);
    throw error;
  }
  await writer.close();
}
