import assert from "node:assert/strict";
import { bodyJob, defineSidecar } from "./define.ts";
import { startTestSidecar } from "./testing.ts";

// A body job whose output starts while its upload still arrives is answered after the output
// ends (held in a spool, see `_spool.ts`), so Deno neither reads the rest of the upload ahead
// into memory nor keeps a JS buffer per answer chunk.

const MIB = 1024 * 1024;

const held = defineSidecar({
  name: "held",
  jobs: {
    cat: bodyJob({ accept: ["*/*"], run: (body, ctx) => ctx.pipe(["cat"], { stdin: body }) }),
    "cat-fail": bodyJob({
      accept: ["*/*"],
      run: (body, ctx) => ctx.pipe(["sh", "-c", "cat; echo gave up >&2; exit 3"], { stdin: body }),
    }),
    // Answers 3 MiB at once, then counts the body: more than its 2 MiB limit is held.
    eager: bodyJob({
      accept: ["*/*"],
      maxBytes: 2 * MIB,
      run: (body) => {
        const reader = body.getReader();
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          async pull(c) {
            if (sent++ < 3) return c.enqueue(new Uint8Array(MIB).fill(97));
            let n = 0;
            for (let r = await reader.read(); !r.done; r = await reader.read()) {
              n += r.value.byteLength;
            }
            c.enqueue(new TextEncoder().encode(`read ${n}`));
            c.close();
          },
        });
      },
    }),
  },
});

/** A request body the test writes to and closes. */
function openBody(): { body: ReadableStream<Uint8Array>; write(b: Uint8Array): void; end(): void } {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (ctrl) => void (c = ctrl) });
  return { body, write: (b) => c.enqueue(b), end: () => c.close() };
}

function post(job: string, body: ReadableStream<Uint8Array>): Request {
  return new Request(`http://pod/${job}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body,
  });
}

const settled = <T>(p: Promise<T>) => Promise.race([p.then(() => true), delay(300)]);
const delay = (ms: number) => new Promise<false>((r) => setTimeout(() => r(false), ms));

Deno.test("output that starts mid-upload is answered after the output ends, in full", async () => {
  await using t = await startTestSidecar(held);
  const up = openBody();
  const answer = Promise.resolve(t.app.app.fetch(post("cat", up.body)));
  const data = new Uint8Array(3 * MIB + 5);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  up.write(data.subarray(0, 2 * MIB)); // cat echoes it at once: 2 MiB of output is held
  assert.equal(await settled(answer), false, "no answer while the upload still arrives");
  assert.deepEqual(
    [...Deno.readDirSync(t.tmpDir)].filter((e) => e.name.startsWith("spool-")),
    [],
    "the spool file is unlinked as soon as it is open",
  );
  up.write(data.subarray(2 * MIB));
  up.end();
  const res = await answer;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.bytes(), data);
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("a tool failing after output that started mid-upload still answers 500 JSON", async () => {
  await using t = await startTestSidecar(held);
  const up = openBody();
  const answer = Promise.resolve(t.app.app.fetch(post("cat-fail", up.body)));
  up.write(new Uint8Array(2 * MIB));
  await delay(100);
  up.end();
  const res = await answer;
  assert.equal(res.status, 500);
  const error = await res.json();
  assert.equal(error.exit_code, 3);
  assert.equal(error.stderr_tail, "gave up\n");
});

Deno.test("held output past the job's body limit is answered at once, the rest streamed", async () => {
  await using t = await startTestSidecar(held);
  const up = openBody();
  const answer = Promise.resolve(t.app.app.fetch(post("eager", up.body)));
  up.write(new Uint8Array(1000));
  assert.equal(await settled(answer), true, "answered with the upload still open");
  up.write(new Uint8Array(500));
  up.end();
  const bytes = await (await answer).bytes();
  assert.equal(bytes.byteLength, 3 * MIB + "read 1500".length);
  assert.equal(new TextDecoder().decode(bytes.subarray(3 * MIB)), "read 1500");
  assert.equal(t.app.activeJobs(), 0);
});
