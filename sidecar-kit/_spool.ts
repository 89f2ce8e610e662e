/**
 * `Spool`: the output of a body job that started answering while its upload was still arriving,
 * held back until the output ends. Two Deno 2.9 behaviours make streaming such an answer costly:
 * once a response streams, the HTTP/1 writer reads the connection ahead (to notice a client that
 * leaves) and keeps what it reads, so the rest of a large upload piles up in memory; and every
 * chunk of a response stream made in JS is a new buffer that V8 frees only at its next GC, tens
 * of MB later. A held answer starts after the upload, and from a file Deno sends it natively.
 * The first {@linkcode SPOOL_MEMORY_BYTES} stay in memory, the rest goes to an unlinked temp
 * file (gone with its last descriptor, whatever happens to the request).
 * @module
 */

/** Output bytes held in memory before the spool moves to a temp file. */
export const SPOOL_MEMORY_BYTES = 1024 * 1024;

/** Bytes read back per chunk when the spool is streamed from JS. */
const READ_BACK_BYTES = 64 * 1024;

/** Output held back in order: in memory, or all of it in one unlinked temp file in `dir`. */
export class Spool {
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  #file: Deno.FsFile | undefined;
  #size = 0;

  /** @param dir Where the temp file goes (the sidecar's `TMPDIR`). */
  constructor(readonly dir: string) {}

  /** Bytes held so far. */
  get size(): number {
    return this.#size;
  }

  /** Whether the output moved to a temp file. */
  get onDisk(): boolean {
    return this.#file !== undefined;
  }

  /** Holds a copy of `chunk` (the producer may reuse its buffer). */
  async add(chunk: Uint8Array): Promise<void> {
    this.#size += chunk.byteLength;
    if (this.#file === undefined && this.#size <= SPOOL_MEMORY_BYTES) {
      this.#chunks.push(chunk.slice());
      return;
    }
    if (this.#file === undefined) {
      const path = await Deno.makeTempFile({ dir: this.dir, prefix: "spool-" });
      this.#file = await Deno.open(path, { read: true, write: true });
      await Deno.remove(path); // the open descriptor keeps the data
      for (const held of this.#chunks) await writeAll(this.#file, held);
      this.#chunks = [];
    }
    await writeAll(this.#file, chunk);
  }

  /**
   * Everything held, as a response body: the bytes when in memory, else the file's stream,
   * which Deno sends natively and closes at its end. The spool is empty afterwards.
   */
  async body(): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
    const file = this.#file;
    this.#file = undefined;
    if (file === undefined) return concat(this.#take());
    await file.seek(0, Deno.SeekMode.Start);
    return file.readable;
  }

  /** Hands out the held bytes in order from JS (to go on with more output), then closes. */
  async *drain(): AsyncGenerator<Uint8Array> {
    try {
      yield* this.#take();
      const file = this.#file;
      if (file === undefined) return;
      await file.seek(0, Deno.SeekMode.Start);
      for (;;) {
        const buf = new Uint8Array(READ_BACK_BYTES);
        const n = await file.read(buf);
        if (n === null) return;
        yield buf.subarray(0, n);
      }
    } finally {
      this.discard();
    }
  }

  /** Drops what is held. Idempotent. */
  discard(): void {
    this.#chunks = [];
    const file = this.#file;
    this.#file = undefined;
    file?.close();
  }

  #take(): Uint8Array<ArrayBuffer>[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks;
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength;) at += await file.write(bytes.subarray(at));
}

function concat(chunks: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
