/**
 * `POST /<job>` for body jobs: raw body in (size-limited stream), raw body out (streamed). The
 * first output chunk is awaited before answering, so early tool failures still get a JSON error.
 * @module
 */
import type { Context } from "hono";
import { SidecarHttpError } from "./errors.ts";
import { admit, execute, type Execution } from "./_execute.ts";
import { checkContentLength, limitStream, mediaType } from "./_request_body.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";
import type { BodyJob, BodyOutput } from "./types.ts";

type Output = BodyOutput;

/**
 * Request bytes after which a body job's response starts even before the tool's first output
 * (the seed's ~1 MB body-mode threshold). Up to here a failing tool still answers JSON.
 */
export const COMMIT_BYTES = 1024 * 1024;

/** Handles one body job request. */
export async function handleBodyJob(
  c: Context<SidecarEnv>,
  rt: Runtime,
  name: string,
  def: BodyJob,
): Promise<Response> {
  admit(rt, name);
  const type = mediaType(c.req.raw);
  if (!def.accept.includes("*/*") && !def.accept.includes(type)) {
    throw new SidecarHttpError(
      415,
      `unsupported content type "${type || "(none)"}": send one of ${def.accept.join(", ")}`,
      { accepted: def.accept },
    );
  }
  const limit = def.maxBytes ?? rt.config.bodyLimit;
  checkContentLength(c.req.raw, limit);
  const controller = new AbortController();
  const { body, committed } = jobBody(c.req.raw, limit, (e) => controller.abort(e));
  const ex = await execute(
    rt,
    {
      id: crypto.randomUUID(),
      job: name,
      requestId: c.get("requestId"),
      clientSignal: c.req.raw.signal,
      controller,
    },
    async (ctx) => await def.run(body, ctx),
  );
  return await respond(ex, def, committed);
}

/**
 * The body handed to `run`, and when the response may start without waiting for the first
 * output byte. With a declared length (already checked against the limit; HTTP framing bounds
 * the body) the job gets Deno's own request stream, which `ctx.pipe` feeds to the tool without
 * JS copies; a chunked body is counted by `limitStream`. Above {@linkcode COMMIT_BYTES} a
 * declared-length response starts at once, because Deno 2.9's HTTP/1 server buffers the unread request body
 * while a handler is pending (denoland/deno#36869), so waiting would hold the whole upload.
 */
function jobBody(
  req: Request,
  limit: number,
  onOverflow: (e: SidecarHttpError) => void,
): { body: ReadableStream<Uint8Array>; committed: Promise<void> } {
  const declared = req.headers.get("content-length");
  if (declared !== null && req.body !== null) {
    const big = Number(declared) > COMMIT_BYTES;
    return { body: req.body, committed: big ? Promise.resolve() : new Promise(() => {}) };
  }
  // Chunked: counted in JS, and the response waits for the first output (measured: starting it
  // early does not reduce memory on this path, it only loses the JSON error).
  return { body: limitStream(req.body, limit, onOverflow), committed: new Promise(() => {}) };
}

async function respond(
  ex: Execution<Output>,
  def: BodyJob,
  committed: Promise<void>,
): Promise<Response> {
  const out = ex.value;
  const headers = new Headers();
  let status = 200;
  let stream: ReadableStream<Uint8Array> | null;
  if (out instanceof Response) {
    out.headers.forEach((v, k) => headers.set(k, v));
    status = out.status;
    stream = out.body;
  } else if (out instanceof ReadableStream) {
    stream = out;
  } else {
    await ex.finish();
    if (def.contentType) headers.set("content-type", def.contentType);
    return new Response(typeof out === "string" ? out : new Uint8Array(out), { headers });
  }
  if (!headers.has("content-type") && def.contentType) headers.set("content-type", def.contentType);
  if (stream === null) {
    await ex.finish();
    return new Response(null, { status, headers });
  }
  const reader = stream.getReader();
  const read = reader.read();
  read.catch(() => {}); // handled by whoever awaits it; never an unhandled rejection
  // A macrotask after the commit point, so a tool that fails at once still answers JSON.
  const commit = committed.then(() => new Promise<"commit">((r) => setTimeout(r, 0, "commit")));
  let first: ReadableStreamReadResult<Uint8Array> | "commit";
  try {
    first = await Promise.race([read, commit]);
  } catch (error) {
    await ex.finish(error);
    // Still before the headers: becomes a JSON error response (the abort reason if aborted).
    throw ex.signal.aborted ? ex.signal.reason : error;
  }
  if (first !== "commit" && first.done) {
    await ex.finish();
    return new Response(null, { status, headers });
  }
  return new Response(finishing(read, reader, ex), { status, headers });
}

/** Re-emits `first` and the rest of `reader`; ends the job when the stream ends or is cancelled. */
function finishing(
  first: Promise<ReadableStreamReadResult<Uint8Array>>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ex: Execution<unknown>,
): ReadableStream<Uint8Array> {
  let next: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await (next ?? reader.read());
        next = undefined;
        if (r.done) {
          await ex.finish();
          controller.close();
        } else {
          controller.enqueue(r.value);
        }
      } catch (error) {
        await ex.finish(error);
        controller.error(error);
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      await ex.finish(new SidecarHttpError(499, "cancelled: the client closed the response"));
    },
  }, { highWaterMark: 0 });
}
