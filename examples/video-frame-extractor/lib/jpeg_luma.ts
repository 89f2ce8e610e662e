/**
 * Baseline JPEG luma at 1/8 scale. For a baseline JPEG the DC coefficient of each 8×8 luma block,
 * times its quantizer, over 8, is that block's mean brightness, so only the Huffman-coded data is
 * walked: no inverse DCT, no colour conversion (about 10× cheaper than a full decode).
 * @module
 */

/** A frame at 1/8 scale: one mean-luma value (0–255) per 8×8 block, row by row. */
export interface LumaGrid {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Blocks per row (`ceil(width / 8)` for the usual luma sampling). */
  cols: number;
  /** Block rows. */
  rows: number;
  /** `cols * rows` block means. */
  luma: Float32Array;
}

type Component = { id: number; h: number; v: number; tq: number };
type Frame = { width: number; height: number; comps: Component[] };
interface Tables {
  quant: Map<number, number>;
  dc: Map<number, Huffman>;
  ac: Map<number, Huffman>;
  restart: number;
}

/**
 * Decodes the luma of a baseline (sequential, Huffman-coded) JPEG at 1/8 scale.
 *
 * @param bytes The JPEG file.
 * @returns Image size and the block-mean luma grid.
 * @throws {SyntaxError} When the data is not a JPEG, or is truncated or corrupt.
 * @throws {RangeError} For progressive, lossless or arithmetic-coded JPEGs.
 * @example
 * ```ts
 * import { decodeJpegLuma } from "./jpeg_luma.ts";
 * try {
 *   decodeJpegLuma(new TextEncoder().encode("<html>"));
 * } catch (e) {
 *   console.assert((e as Error).message === "not a JPEG (no SOI marker)");
 * }
 * ```
 */
export function decodeJpegLuma(bytes: Uint8Array): LumaGrid {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new SyntaxError("not a JPEG (no SOI marker)");
  const t: Tables = { quant: new Map(), dc: new Map(), ac: new Map(), restart: 0 };
  let frame: Frame | undefined;
  const u16 = (at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  for (let pos = 2; pos + 4 <= bytes.length;) {
    if (bytes[pos] !== 0xff) {
      throw new SyntaxError(`corrupt JPEG: expected a marker at byte ${pos}`);
    }
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    const seg = pos + 4;
    const end = pos + 2 + u16(pos + 2);
    if (end > bytes.length) throw new SyntaxError("truncated JPEG: a segment runs past the end");
    if (marker === 0xdb) {
      for (let p = seg; p < end;) {
        const wide = bytes[p]! >> 4;
        t.quant.set(bytes[p]! & 15, wide ? u16(p + 1) : bytes[p + 1]!);
        p += 1 + 64 * (wide ? 2 : 1);
      }
    } else if (marker === 0xc4) {
      for (let p = seg; p < end;) {
        const table = huffmanTable(bytes, p + 1);
        (bytes[p]! >> 4 ? t.ac : t.dc).set(bytes[p]! & 15, table);
        p = table.next;
      }
    } else if (marker === 0xc0 || marker === 0xc1) {
      const comps = Array.from({ length: bytes[seg + 5]! }, (_, i) => {
        const c = seg + 6 + i * 3;
        return { id: bytes[c]!, h: bytes[c + 1]! >> 4, v: bytes[c + 1]! & 15, tq: bytes[c + 2]! };
      });
      frame = { height: u16(seg + 1), width: u16(seg + 3), comps };
    } else if (marker >= 0xc2 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      throw new RangeError(`unsupported JPEG: SOF${marker - 0xc0} (only baseline Huffman JPEG)`);
    } else if (marker === 0xdd) {
      t.restart = u16(seg);
    } else if (marker === 0xda) {
      if (!frame) throw new SyntaxError("corrupt JPEG: scan before the frame header");
      return decodeScan(bytes, seg, end, frame, t);
    } else if (marker === 0xd9) {
      break;
    }
    pos = end;
  }
  throw new SyntaxError("truncated JPEG: no image data (SOS) found");
}

function decodeScan(
  bytes: Uint8Array,
  seg: number,
  start: number,
  frame: Frame,
  t: Tables,
): LumaGrid {
  const hmax = Math.max(...frame.comps.map((c) => c.h));
  const vmax = Math.max(...frame.comps.map((c) => c.v));
  const scan = Array.from({ length: bytes[seg]! }, (_, i) => {
    const id = bytes[seg + 1 + i * 2]!;
    const sel = bytes[seg + 2 + i * 2]!;
    const comp = frame.comps.find((c) => c.id === id);
    const dc = t.dc.get(sel >> 4);
    const ac = t.ac.get(sel & 15);
    if (!comp || !dc || !ac) {
      throw new SyntaxError(`corrupt JPEG: scan component ${id} has no tables`);
    }
    return { ...comp, dc, ac, pred: 0, luma: comp === frame.comps[0] };
  });
  const y = scan.find((c) => c.luma);
  if (!y) throw new RangeError("unsupported JPEG: the first scan does not carry luma");
  const q0 = t.quant.get(y.tq);
  if (q0 === undefined) throw new SyntaxError(`corrupt JPEG: missing quantization table ${y.tq}`);
  const cols = Math.ceil(Math.ceil((frame.width * y.h) / hmax) / 8);
  const rows = Math.ceil(Math.ceil((frame.height * y.v) / vmax) / 8);
  const luma = new Float32Array(cols * rows);
  const bits = new BitReader(bytes, start);
  const single = scan.length === 1; // non-interleaved: one block per MCU, in raster order
  const mcusX = single ? cols : Math.ceil(frame.width / (8 * hmax));
  const mcusY = single ? rows : Math.ceil(frame.height / (8 * vmax));
  for (let m = 0; m < mcusX * mcusY; m++) {
    if (t.restart > 0 && m > 0 && m % t.restart === 0) {
      bits.restart();
      for (const c of scan) c.pred = 0;
    }
    const mx = m % mcusX, my = Math.floor(m / mcusX);
    for (const c of scan) {
      const bh = single ? 1 : c.h, bv = single ? 1 : c.v;
      for (let v = 0; v < bv; v++) {
        for (let h = 0; h < bh; h++) {
          const size = bits.decode(c.dc);
          c.pred += size === 0 ? 0 : extend(bits.receive(size), size);
          bits.skipAc(c.ac);
          const bx = mx * bh + h, by = my * bv + v;
          if (c.luma && bx < cols && by < rows) luma[by * cols + bx] = (c.pred * q0) / 8 + 128;
        }
      }
    }
  }
  return { width: frame.width, height: frame.height, cols, rows, luma };
}

/** A canonical Huffman table in the classic maxcode / valptr form (ITU T.81 F.2.2.3). */
interface Huffman {
  maxcode: Int32Array;
  mincode: Int32Array;
  valptr: Int32Array;
  symbols: Uint8Array;
  next: number;
}

function huffmanTable(bytes: Uint8Array, at: number): Huffman {
  const maxcode = new Int32Array(17).fill(-1);
  const mincode = new Int32Array(17);
  const valptr = new Int32Array(17);
  let code = 0, k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = bytes[at + length - 1] ?? 0;
    valptr[length] = k;
    mincode[length] = code;
    code += n;
    k += n;
    if (n > 0) maxcode[length] = code - 1;
    code <<= 1;
  }
  const start = at + 16;
  if (start + k > bytes.length) throw new SyntaxError("truncated JPEG: Huffman table");
  return { maxcode, mincode, valptr, symbols: bytes.slice(start, start + k), next: start + k };
}

function extend(v: number, size: number): number {
  return v < 1 << (size - 1) ? v - (1 << size) + 1 : v;
}

/** Reads entropy-coded bits, undoing 0xFF00 stuffing; a marker ends the data (zeros follow). */
class BitReader {
  #bytes: Uint8Array;
  #pos: number;
  #buf = 0;
  #count = 0;

  constructor(bytes: Uint8Array, pos: number) {
    this.#bytes = bytes;
    this.#pos = pos;
  }

  bit(): number {
    if (this.#count === 0) {
      const b = this.#bytes[this.#pos];
      if (b === undefined) throw new SyntaxError("truncated JPEG: image data ends early");
      if (b === 0xff && this.#bytes[this.#pos + 1] !== 0) {
        this.#buf = 0; // at a marker: the encoder padded, feed zeros
      } else {
        this.#buf = b;
        this.#pos += b === 0xff ? 2 : 1;
      }
      this.#count = 8;
    }
    return (this.#buf >> --this.#count) & 1;
  }

  receive(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }

  decode(h: Huffman): number {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit();
      if (code <= h.maxcode[length]!) {
        return h.symbols[h.valptr[length]! + code - h.mincode[length]!]!;
      }
    }
    throw new SyntaxError(`corrupt JPEG: invalid Huffman code near byte ${this.#pos}`);
  }

  skipAc(h: Huffman): void {
    for (let k = 1; k < 64; k++) {
      const rs = this.decode(h);
      const r = rs >> 4, s = rs & 15;
      if (s === 0) {
        if (r !== 15) return; // end of block
        k += 15;
      } else {
        k += r;
        this.receive(s);
      }
    }
  }

  restart(): void {
    this.#count = 0;
    const b = this.#bytes[this.#pos + 1] ?? 0;
    if (this.#bytes[this.#pos] !== 0xff || b < 0xd0 || b > 0xd7) {
      throw new SyntaxError(`corrupt JPEG: expected a restart marker at byte ${this.#pos}`);
    }
    this.#pos += 2;
  }
}
