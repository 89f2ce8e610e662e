import assert from "node:assert/strict";
import { batchedLines, createEngineLogger } from "./log.ts";

/** A stream that records each write and may take only `max` bytes per call. */
function recorder(max = Infinity) {
  const writes: string[] = [];
  const decoder = new TextDecoder();
  return {
    writes,
    writeSync(bytes: Uint8Array): number {
      const n = Math.min(bytes.length, max);
      writes.push(decoder.decode(bytes.subarray(0, n)));
      return n;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

Deno.test("batchedLines joins the lines of a few ms into one write, in order", async () => {
  const out = recorder();
  const sink = batchedLines(out);
  for (const l of ["a", "b", "c"]) sink.write(l);
  await Promise.resolve(); // not on the writes' microtask either: only the flush timer writes
  assert.deepEqual(out.writes, [], "nothing written at once");
  await tick();
  assert.deepEqual(out.writes, ["a\nb\nc\n"]);
  sink.write("d");
  await tick();
  assert.deepEqual(out.writes, ["a\nb\nc\n", "d\n"]);
});

Deno.test("batchedLines writes everything even when the stream takes a few bytes at a time", () => {
  const out = recorder(3);
  const sink = batchedLines(out);
  sink.write("hello");
  sink.write("world");
  sink.flush();
  assert.equal(out.writes.join(""), "hello\nworld\n");
});

Deno.test("batchedLines flushes at once past 64 KiB buffered", () => {
  const out = recorder();
  const sink = batchedLines(out);
  const line = "x".repeat(1023);
  for (let i = 0; i < 64; i++) sink.write(line);
  assert.equal(out.writes.length, 1);
  assert.equal(out.writes[0]!.length, 64 * 1024);
  sink.flush();
});

Deno.test("the logger flushes a batching sink after warn and error lines, not info", () => {
  const out = recorder();
  const log = createEngineLogger({ ...batchedLines(out), now: () => 0 });
  log.info("one");
  assert.equal(out.writes.length, 0);
  log.warn("two");
  assert.equal(out.writes.length, 1);
  assert.match(out.writes[0]!, /"msg":"one".*\n.*"msg":"two"/);
  log.error("three");
  assert.equal(out.writes.length, 2);
});

Deno.test("lines with errors, bigints or nested objects are written like before", () => {
  const lines: string[] = [];
  const log = createEngineLogger({ write: (l) => lines.push(l), now: () => 0 });
  const err = new TypeError("bad");
  log.info("e", { err, n: 10n, nested: { deep: err }, s: "x", k: null });
  const line = JSON.parse(lines[0]!);
  assert.deepEqual(line.err, { name: "TypeError", message: "bad", stack: err.stack });
  assert.equal(line.n, "10");
  assert.equal(line.nested.deep.message, "bad");
  log.child({ requestId: "r" }).info("plain", { a: 1, b: "two", c: true, d: undefined });
  assert.equal(
    lines[1],
    '{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"plain","requestId":"r","a":1,"b":"two","c":true}',
  );
});

Deno.test("batchedLines keeps order when a line does not fit: held lines first, then it, whole", () => {
  const out = recorder();
  const sink = batchedLines(out);
  sink.write("é held");
  const big = "ü".repeat(40 * 1024); // 80 KiB of UTF-8: more than the whole buffer
  sink.write(big);
  assert.deepEqual(out.writes, ["é held\n", big + "\n"]);
  sink.write("x".repeat(60 * 1024));
  sink.write("y".repeat(10 * 1024)); // does not fit behind the first: the first goes out
  assert.equal(out.writes.length, 3);
  sink.flush();
  assert.equal(out.writes[3], "y".repeat(10 * 1024) + "\n");
});
