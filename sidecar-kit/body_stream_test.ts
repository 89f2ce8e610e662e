import assert from "node:assert/strict";
import { bodyJob, defineSidecar } from "./define.ts";
import { startTestSidecar } from "./testing.ts";
import { demo } from "./_test_fixtures/demo_sidecar.ts";

// Uploads over a real socket: Deno's own request body, chunked or with Content-Length, read by
// the kit in small pieces before the response starts and in big ones after.

const streams = defineSidecar({
  name: "streams",
  jobs: {
    sha: bodyJob({ accept: ["*/*"], run: (body, ctx) => ctx.pipe(["sha256sum"], { stdin: body }) }),
    cat: bodyJob({ accept: ["*/*"], run: (body, ctx) => ctx.pipe(["cat"], { stdin: body }) }),
  },
});

const SIZE = 3 * 1024 * 1024 + 17;
const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `data` as a declared-length body, or chunked in uneven pieces. */
function body(kind: "chunked" | "declared"): BodyInit {
  if (kind === "declared") return data;
  let offset = 0;
  const sizes = [65536, 1000, 200_000, 7];
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (offset >= SIZE) return c.close();
      const n = sizes[offset % sizes.length]!;
      c.enqueue(data.slice(offset, offset + n));
      offset += n;
    },
  });
}

for (const kind of ["chunked", "declared"] as const) {
  Deno.test(`a ${kind} 3 MB upload reaches the tool byte for byte`, async () => {
    await using t = await startTestSidecar(streams, { listen: true });
    const res = await fetch(`${t.url}/sha`, { method: "POST", body: body(kind) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), `${await sha256(data)}  -\n`);
  });

  Deno.test(`a ${kind} 3 MB upload streams back through cat byte for byte`, async () => {
    await using t = await startTestSidecar(streams, { listen: true });
    const res = await fetch(`${t.url}/cat`, { method: "POST", body: body(kind) });
    assert.equal(res.status, 200);
    const echoed = await res.bytes();
    assert.equal(echoed.byteLength, SIZE);
    assert.equal(await sha256(echoed), await sha256(data));
    assert.equal(t.app.activeJobs(), 0);
  });
}

Deno.test("a tool failing before any output answers 500 JSON for a large declared body too", async () => {
  await using t = await startTestSidecar(demo, { listen: true });
  const res = await fetch(`${t.url}/broken`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "x".repeat(4 * 1024 * 1024), // the tool reads all of it, then fails
  });
  assert.equal(res.status, 500);
  const error = await res.json();
  assert.equal(error.exit_code, 2);
  assert.equal(error.stderr_tail, "no such option\n");
});

for (const kind of ["chunked", "declared"] as const) {
  Deno.test(`a client leaving mid-upload (${kind}) cancels the job, never feeds the tool a cut body`, async () => {
    await using t = await startTestSidecar(demo, { listen: true });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(t.url!).port) });
    const framing = kind === "chunked"
      ? "transfer-encoding: chunked\r\n\r\n10000\r\n"
      : `content-length: ${8 * 1024 * 1024}\r\n\r\n`;
    const head = `POST /count HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream\r\n` +
      framing;
    await conn.write(new TextEncoder().encode(head));
    await conn.write(new Uint8Array(65536)); // one chunk's worth, then the client is gone
    await new Promise((r) => setTimeout(r, 100));
    conn.close();
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 200 && !line; i++) {
      await new Promise((r) => setTimeout(r, 25));
      line = t.logs.find((l) => l.msg === "job finished" && l.job === "count");
    }
    assert.equal(line?.outcome, "cancelled");
    assert.equal(t.app.activeJobs(), 0);
  });
}
