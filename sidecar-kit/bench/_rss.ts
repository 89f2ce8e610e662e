/**
 * Peak RSS growth of a server process while it streams one body, read from the kernel's own
 * high-water mark: `VmHWM` after resetting it through `/proc/<pid>/clear_refs` (Linux), so no
 * short peak is missed by sampling.
 * @module
 */

/** How the body is sent: a stream (chunked) or one buffer (Content-Length). */
export type BodyKind = "chunked" | "declared";

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const text = Deno.readTextFileSync(`/proc/${pid}/status`);
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** What {@linkcode rssGrowth} measured. */
export interface RssResult {
  /** Peak RSS minus RSS before the upload, in MB. */
  growthMb: number;
  /** Bytes of the answer. */
  answerBytes: number;
  /** The answer's first 100 bytes as text, trimmed. */
  answer: string;
}

/**
 * POSTs `totalMb` MB to `url` and returns the server's RSS growth in MB (peak minus RSS before)
 * and what it answered (counted as it streams, so a big echo costs this process nothing).
 */
export async function rssGrowth(
  pid: number,
  url: string,
  totalMb: number,
  kind: BodyKind,
): Promise<RssResult> {
  const total = totalMb * 1024 * 1024;
  const headers = { "content-type": "application/octet-stream" };
  for (let i = 0; i < 3; i++) { // warm up the request path first: it is not what we measure
    await (await fetch(url, { method: "POST", headers, body: new Uint8Array(1 << 20) })).bytes();
  }
  await new Promise((r) => setTimeout(r, 200));
  Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5"); // reset VmHWM to the current RSS
  const base = statusKb(pid, "VmRSS");
  const chunk = new Uint8Array(64 * 1024).fill(97);
  let sent = 0;
  const body = kind === "declared"
    ? new Uint8Array(total).fill(97)
    : new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= total) return c.close();
        c.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
  const res = await fetch(url, { method: "POST", headers, body });
  let answerBytes = 0;
  let head = new Uint8Array(0);
  for await (const part of res.body!) {
    if (head.byteLength < 100) head = new Uint8Array([...head, ...part.subarray(0, 100)]);
    answerBytes += part.byteLength;
  }
  const answer = new TextDecoder().decode(head.subarray(0, 100)).trim();
  return { growthMb: (statusKb(pid, "VmHWM") - base) / 1024, answerBytes, answer };
}
