import assert from "node:assert/strict";
import { limitStream, READ_BYTES, STREAMING_READ_BYTES } from "./_limit_stream.ts";
import { SidecarHttpError } from "./errors.ts";
import { runProcess } from "./process.ts";

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/**
 * A byte stream serving `data` in pieces of `sizes` (cycled, capped by the reader's buffer), as
 * Deno's request body does; `asked` records the buffer size of every read.
 */
function byteSource(data: Uint8Array, sizes: number[]) {
  const asked: number[] = [];
  const state = { cancelled: undefined as unknown };
  let offset = 0, i = 0;
  const stream = new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: 65536,
    pull(c) {
      const request = c.byobRequest!;
      const view = request.view!;
      asked.push(view.byteLength);
      if (offset >= data.length) {
        c.close();
        request.respond(0);
        return;
      }
      const n = Math.min(sizes[i++ % sizes.length]!, view.byteLength, data.length - offset);
      new Uint8Array(view.buffer, view.byteOffset, n).set(data.subarray(offset, offset + n));
      offset += n;
      request.respond(n);
    },
    cancel(reason) {
      state.cancelled = reason;
    },
  });
  return { stream, asked, state };
}

/** Reads like `ctx.pipe` does: BYOB into one reused 64 KiB buffer. */
async function readByob(stream: ReadableStream<Uint8Array>, onBytes?: (n: number) => void) {
  const reader = stream.getReader({ mode: "byob" });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let buffer = new ArrayBuffer(65536);
  for (;;) {
    const r = await reader.read(new Uint8Array(buffer));
    if (r.done) break;
    parts.push(r.value.slice());
    onBytes?.(r.value.byteLength);
    buffer = r.value.buffer;
  }
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

const SIZES = [70000, 1, 4096, 12345, 65536, 300];

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Equal bytes, compared by length and digest (a diff of 600 KB would take minutes). */
async function assertSameBytes(actual: Uint8Array<ArrayBuffer>, expected: Uint8Array<ArrayBuffer>) {
  assert.equal(actual.byteLength, expected.byteLength);
  assert.equal(await sha256(actual), await sha256(expected));
}

Deno.test("limitStream() passes a byte stream on unchanged to BYOB and default readers", async () => {
  const data = randomBytes(600_000);
  let total = 0;
  let streaming = false;
  const viaByob = await readByob(
    limitStream(byteSource(data, SIZES).stream, 1e9, {
      readBytes: () => streaming ? STREAMING_READ_BYTES : READ_BYTES,
    }),
    (n) => (total += n) > 200_000 && (streaming = true),
  );
  await assertSameBytes(viaByob, data);
  const viaDefault = await new Response(limitStream(byteSource(data, SIZES).stream, 1e9)).bytes();
  await assertSameBytes(viaDefault, data);
});

Deno.test("limitStream() asks a byte stream for at most readBytes() per read", async () => {
  const data = randomBytes(3_000_000);
  const source = byteSource(data, [1 << 21]);
  let reads = 0;
  await readByob(
    limitStream(source.stream, 1e9, {
      readBytes: () => ++reads > 100 ? STREAMING_READ_BYTES : READ_BYTES,
    }),
  );
  assert.deepEqual(new Set(source.asked.slice(0, 100)), new Set([READ_BYTES]));
  assert.deepEqual(new Set(source.asked.slice(100)), new Set([STREAMING_READ_BYTES]));
});

Deno.test("limitStream() errors with 413 past the limit, calls onOverflow once and cancels the source", async () => {
  for (const kind of ["byte stream", "default stream"]) {
    const data = randomBytes(10_000);
    const source = byteSource(data, [3000]);
    const chunks = [data.subarray(0, 3000), data.subarray(3000, 6000), data.subarray(6000)];
    let cancelled: unknown;
    const stream = kind === "byte stream" ? source.stream : new ReadableStream({
      pull: (c) => chunks.length ? c.enqueue(chunks.shift()!) : c.close(),
      cancel: (reason) => void (cancelled = reason),
    });
    const overflows: SidecarHttpError[] = [];
    const limited = limitStream(stream, 5000, { onOverflow: (e) => overflows.push(e) });
    const error = await new Response(limited).bytes().then(() => undefined, (e) => e);
    assert.ok(error instanceof SidecarHttpError, kind);
    assert.equal(error.status, 413);
    assert.equal(error.message, "request body too large: the limit is 5000 bytes");
    assert.deepEqual(overflows, [error]);
    assert.equal(kind === "byte stream" ? source.state.cancelled : cancelled, error);
  }
});

Deno.test("limitStream() passes the chunks of a stream that is not a byte stream as they are", async () => {
  const chunks = [new Uint8Array([1, 2]), new Uint8Array([3])];
  const reader = limitStream(ReadableStream.from(chunks), 3).getReader();
  assert.equal((await reader.read()).value, chunks[0]);
  assert.equal((await reader.read()).value, chunks[1]);
  assert.equal((await reader.read()).done, true);
});

Deno.test("runProcess() feeds a byte stream to stdin byte for byte", async () => {
  const data = randomBytes(1_500_000);
  const result = await runProcess(["sha256sum"], { stdin: byteSource(data, SIZES).stream });
  assert.equal(result.stdout, `${await sha256(data)}  -\n`);
});

Deno.test("runProcess() cancels a stdin stream the tool stopped reading", async () => {
  const source = byteSource(randomBytes(64 * 1024 * 1024), [65536]);
  await runProcess(["head", "-c", "1"], { stdin: source.stream });
  for (let i = 0; i < 100 && source.state.cancelled === undefined; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(
    source.state.cancelled instanceof Error,
    "the source was cancelled with the write error",
  );
  assert.ok(source.asked.length < 1000, `read ${source.asked.length} times: kept reading`);
});

Deno.test("limitStream() reports a body that breaks off through onBroken, then errors", async () => {
  const cut = new Error("connection reset");
  const pull =
    (sent: { done: boolean }) => (c: { enqueue(b: Uint8Array): void; error(e: unknown): void }) => {
      if (sent.done) return c.error(cut);
      c.enqueue(new Uint8Array(10));
      sent.done = true;
    };
  const sources = {
    "byte stream": new ReadableStream({ type: "bytes", pull: pull({ done: false }) }),
    "default stream": new ReadableStream<Uint8Array>({ pull: pull({ done: false }) }),
  };
  for (const [kind, source] of Object.entries(sources)) {
    const seen: unknown[] = [];
    const limited = limitStream(source, 100, { onBroken: (e) => seen.push(e) });
    const error = await new Response(limited).bytes().then(() => undefined, (e) => e);
    assert.equal(error, cut, kind);
    assert.deepEqual(seen, [cut], kind);
  }
});
