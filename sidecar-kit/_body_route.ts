/**
 * `POST /<job>` for body jobs: raw body in (size-limited stream), raw body out (streamed). The
 * first output chunk is awaited before answering, so early tool failures still get a JSON error.
 * @module
 */
import type { Context } from "hono";
import { SidecarHttpError } from "./errors.ts";
import { admit, execute, type Execution } from "./_execute.ts";
import { checkContentLength, mediaType } from "./_request_body.ts";
import { limitStream, READ_BYTES, STREAMING_READ_BYTES } from "./_limit_stream.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";
import type { BodyJob, BodyOutput } from "./types.ts";

type Output = BodyOutput;

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
  // Small reads until the response starts, bigger ones after (see READ_BYTES).
  let streaming = false;
  const body = limitStream(c.req.raw.body, limit, {
    onOverflow: (e) => controller.abort(e),
    readBytes: () => streaming ? STREAMING_READ_BYTES : READ_BYTES,
    onBroken: (cause) => controller.abort(brokenBody(cause)),
  });
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
  return await respond(ex, def, () => streaming = true);
}

/** The abort reason of a job whose request body broke off (the client went away mid-upload). */
function brokenBody(cause: unknown): SidecarHttpError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new SidecarHttpError(499, `cancelled: the request body broke off (${why})`, {}, { cause });
}

/**
 * Answers with the job's output. A stream is answered once its first chunk is there, so a tool
 * that fails before any output still gets a JSON error; `onStream` runs when the response starts.
 */
async function respond(
  ex: Execution<Output>,
  def: BodyJob,
  onStream: () => void,
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
  let first: ReadableStreamReadResult<Uint8Array>;
  try {
    first = await reader.read();
  } catch (error) {
    await ex.finish(error);
    // Still before the headers: becomes a JSON error response (the abort reason if aborted).
    throw ex.signal.aborted ? ex.signal.reason : error;
  }
  if (first.done) {
    await ex.finish();
    return new Response(null, { status, headers });
  }
  onStream();
  return new Response(finishing(first, reader, ex), { status, headers });
}

/** Re-emits `first` and the rest of `reader`; ends the job when the stream ends or is cancelled. */
function finishing(
  first: ReadableStreamReadResult<Uint8Array>,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ex: Execution<unknown>,
): ReadableStream<Uint8Array> {
  let next: ReadableStreamReadResult<Uint8Array> | undefined = first;
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
