import assert from "node:assert/strict";
import { Spool, SPOOL_MEMORY_BYTES } from "./_spool.ts";

function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function bytesOf(body: Uint8Array | ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return body instanceof Uint8Array ? body : await new Response(body).bytes();
}

async function entries(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
}

Deno.test("Spool keeps small output in memory, copied, and answers it as one buffer", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = new Spool(dir);
    const a = pattern(1000, 1), b = pattern(3000, 2);
    await spool.add(a);
    await spool.add(b);
    a.fill(0); // the producer reuses its buffer: the spool kept a copy
    assert.equal(spool.size, 4000);
    assert.equal(spool.onDisk, false);
    const body = await spool.body();
    assert.ok(body instanceof Uint8Array);
    assert.deepEqual(body, new Uint8Array([...pattern(1000, 1), ...b]));
    assert.deepEqual(await entries(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Spool moves past SPOOL_MEMORY_BYTES to an unlinked temp file, read back in order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spool = new Spool(dir);
    const chunks = [pattern(700_000, 1), pattern(700_000, 2), pattern(900_001, 3)];
    for (const c of chunks) await spool.add(c);
    assert.ok(spool.size > SPOOL_MEMORY_BYTES);
    assert.equal(spool.onDisk, true);
    assert.deepEqual(await entries(dir), [], "the file is unlinked as soon as it is open");
    const body = await spool.body();
    assert.ok(body instanceof ReadableStream);
    const all = await bytesOf(body);
    assert.equal(all.byteLength, 2_300_001);
    assert.deepEqual(all, new Uint8Array(chunks.flatMap((c) => [...c])));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Spool.drain() hands out memory and file bytes in order; discard() is idempotent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const size of [10_000, SPOOL_MEMORY_BYTES + 5]) {
      const spool = new Spool(dir);
      const data = pattern(size, 7);
      for (let at = 0; at < size; at += 4096) await spool.add(data.subarray(at, at + 4096));
      const parts = await Array.fromAsync(spool.drain());
      assert.deepEqual(new Uint8Array(parts.flatMap((p) => [...p])), data);
      spool.discard();
      spool.discard();
      assert.deepEqual(await Array.fromAsync(spool.drain()), [], "nothing is held after a drain");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
