/**
 * Splits a byte stream into text lines for progress parsing, with a bound on line length.
 * @module
 */

/** Feeds bytes, calls `onLine` for each `\n`- or `\r`-terminated line (without terminator). */
export class LineSplitter {
  #decoder = new TextDecoder();
  #pending = "";

  /**
   * @param onLine Called once per line; exceptions from it are swallowed (progress must not kill jobs).
   * @param maxLine Longest line kept; longer runs are emitted in pieces of this size.
   */
  constructor(private readonly onLine: (line: string) => void, private readonly maxLine = 65536) {}

  /** Consumes a chunk. */
  push(chunk: Uint8Array): void {
    this.#feed(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the last unterminated line. */
  end(): void {
    this.#feed(this.#decoder.decode());
    if (this.#pending.length > 0) this.#emit(this.#pending.replace(/\r$/, ""));
    this.#pending = "";
  }

  #feed(text: string): void {
    let buf = this.#pending + text;
    for (;;) {
      const i = buf.search(/[\r\n]/);
      if (i < 0) break;
      const line = buf.slice(0, i);
      // Treat "\r\n" as one terminator; a lone "\r" (ffmpeg's stderr progress) also ends a line.
      const step = buf[i] === "\r" && buf[i + 1] === "\n" ? 2 : 1;
      if (!(buf[i] === "\r" && i + 1 === buf.length)) {
        buf = buf.slice(i + step);
        this.#emit(line);
      } else {
        break; // a trailing "\r" may be the first half of "\r\n": wait for more bytes
      }
    }
    while (buf.length > this.maxLine) {
      this.#emit(buf.slice(0, this.maxLine));
      buf = buf.slice(this.maxLine);
    }
    this.#pending = buf;
  }

  #emit(line: string): void {
    try {
      this.onLine(line);
    } catch {
      // A broken progress parser must not break the job.
    }
  }
}
