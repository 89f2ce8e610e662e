// A lean HTTP/1.1 load generator for the benches (like wrk, in a few lines): keep-alive
// connections, one request in flight per connection, responses framed by Content-Length.
// It spends far less CPU per request than `fetch`, so on a small machine the numbers show the
// engine rather than the client.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Options of {@linkcode httpLoad}. */
export interface HttpLoadOptions {
  hostname: string;
  port: number;
  /** Request path, e.g. `/run`. */
  path: string;
  /** Body of request `i` (JSON). */
  body: (i: number) => string;
  /** Connections, each with one request in flight. */
  connections: number;
  /** Requests to send in total. */
  total: number;
  /** Stop early after this many ms. */
  maxMs: number;
  /** Checks each response; throw to fail the bench. */
  check?: (status: number, body: string, i: number) => void;
}

/**
 * Sends `total` POST requests over `connections` keep-alive connections.
 *
 * @returns Requests completed and their rate per second.
 */
export async function httpLoad(
  options: HttpLoadOptions,
): Promise<{ done: number; perSecond: number }> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;
  const loop = async () => {
    const conn = await Deno.connect({ hostname: options.hostname, port: options.port });
    const buffer = new Uint8Array(256 * 1024);
    let pending: Uint8Array = new Uint8Array(0);
    try {
      while (next < options.total && performance.now() < deadline) {
        const i = next++;
        const body = encoder.encode(options.body(i));
        const head = `POST ${options.path} HTTP/1.1\r\nHost: ${options.hostname}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        await writeAll(conn, concat(encoder.encode(head), body));
        for (;;) {
          const parsed = parseResponse(pending);
          if (parsed) {
            pending = pending.subarray(parsed.consumed);
            options.check?.(parsed.status, parsed.body, i);
            done++;
            break;
          }
          const n = await conn.read(buffer);
          if (n === null) throw new Error("the server closed the connection");
          pending = concat(pending, buffer.subarray(0, n));
        }
      }
    } finally {
      conn.close();
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  return { done, perSecond: done / ((performance.now() - started) / 1000) };
}

function parseResponse(
  bytes: Uint8Array,
): { status: number; body: string; consumed: number } | undefined {
  const end = indexOfHeaderEnd(bytes);
  if (end < 0) return undefined;
  const head = decoder.decode(bytes.subarray(0, end));
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
  if (Number.isNaN(length)) throw new Error(`response without Content-Length:\n${head}`);
  if (bytes.length < end + 4 + length) return undefined;
  return {
    status: Number(head.slice(9, 12)),
    body: decoder.decode(bytes.subarray(end + 4, end + 4 + length)),
    consumed: end + 4 + length,
  };
}

function indexOfHeaderEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}
