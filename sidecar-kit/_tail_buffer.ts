/**
 * Bounded byte capture that keeps the most recent `max` bytes (the tail), used for
 * stdout/stderr so a chatty tool cannot exhaust memory.
 * @module
 */
import { LineSplitter } from "./_line_splitter.ts";

/** Keeps at most `max` bytes, dropping the oldest first. */
export class TailBuffer {
  #chunks: Uint8Array[] = [];
  #size = 0;
  /** True once any byte was dropped. */
  truncated = false;
  /** Total bytes ever pushed. */
  total = 0;

  /** @param max Bytes to keep (>= 0). */
  constructor(readonly max: number) {}

  /** Appends a chunk, dropping the oldest bytes beyond the bound. */
  push(chunk: Uint8Array): void {
    this.total += chunk.byteLength;
    if (this.max === 0) {
      this.truncated ||= chunk.byteLength > 0;
      return;
    }
    if (chunk.byteLength >= this.max) {
      this.truncated ||= this.#size > 0 || chunk.byteLength > this.max;
      this.#chunks = [chunk.slice(chunk.byteLength - this.max)];
      this.#size = this.max;
      return;
    }
    this.#chunks.push(chunk.slice());
    this.#size += chunk.byteLength;
    while (this.#size > this.max) {
      const first = this.#chunks[0]!;
      const excess = this.#size - this.max;
      this.truncated = true;
      if (first.byteLength <= excess) {
        this.#chunks.shift();
        this.#size -= first.byteLength;
      } else {
        this.#chunks[0] = first.slice(excess);
        this.#size -= excess;
      }
    }
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const c of this.#chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }

  /** The kept bytes decoded as UTF-8 (invalid sequences replaced). */
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/**
 * Reads a child's output pipe into a tail buffer, feeding complete lines to `onLine`. A pipe
 * that breaks because the process was killed ends the read quietly: the tail is kept.
 */
export async function drainToTail(
  stream: ReadableStream<Uint8Array>,
  into: TailBuffer,
  onLine?: (line: string) => void,
): Promise<void> {
  const lines = onLine ? new LineSplitter(onLine) : undefined;
  try {
    for await (const chunk of stream) {
      into.push(chunk);
      lines?.push(chunk);
    }
  } catch {
    // The pipe broke because the process was killed: keep what we have.
  }
  lines?.end();
}
