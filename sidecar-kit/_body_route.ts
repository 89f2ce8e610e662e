/**
 * `POST /<job>` for body jobs: raw body in (size-limited stream), raw body out (streamed). The
 * first output chunk is awaited before answering, so early tool failures still get a JSON error,
 * and output that starts while the upload still arrives is held back (see `Spool`) until it ends.
 * @module
 */
import type { Context } from "hono";
import { SidecarHttpError } from "./errors.ts";
import { admit, execute, type Execution } from "./_execute.ts";
import { checkContentLength, mediaType } from "./_request_body.ts";
import { limitStream, READ_BYTES, STREAMING_READ_BYTES } from "./_limit_stream.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";
import { Spool } from "./_spool.ts";
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
  const upload = { done: false };
  const body = limitStream(c.req.raw.body, limit, {
    onOverflow: (e) => controller.abort(e),
    readBytes: () => streaming ? STREAMING_READ_BYTES : READ_BYTES,
    onBroken: (cause) => controller.abort(brokenBody(cause)),
    onEnd: () => upload.done = true,
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
  const hold = { upload, spool: new Spool(rt.config.tmpDir), maxBytes: limit };
  return await respond(ex, def, hold, () => streaming = true);
}

/** The abort reason of a job whose request body broke off (the client went away mid-upload). */
function brokenBody(cause: unknown): SidecarHttpError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new SidecarHttpError(499, `cancelled: the request body broke off (${why})`, {}, { cause });
}

/** How output is held back while the upload still arrives. */
interface Hold {
  upload: { done: boolean };
  spool: Spool;
  /** Past this much held output the response starts anyway (the body limit). */
  maxBytes: number;
}

/**
 * Answers with the job's output. A stream is answered once its first chunk is there, so a tool
 * that fails before any output still gets a JSON error; `onStream` runs when the response starts.
 * Output that starts before the upload is read is held in `hold.spool` until it ends (see
 * `Spool` for why), then answered at once.
 */
async function respond(
  ex: Execution<Output>,
  def: BodyJob,
  hold: Hold,
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
  let next: ReadableStreamReadResult<Uint8Array> | undefined;
  try {
    const first = await reader.read();
    if (first.done) {
      await ex.finish();
      return new Response(null, { status, headers });
    }
    next = first;
    if (!hold.upload.done) {
      next = undefined;
      if (await holdBack(first.value, reader, hold)) {
        await ex.finish();
        return new Response(await hold.spool.body(), { status, headers });
      }
    }
  } catch (error) {
    hold.spool.discard();
    await ex.finish(error);
    // Still before the headers: becomes a JSON error response (the abort reason if aborted).
    throw ex.signal.aborted ? ex.signal.reason : error;
  }
  onStream();
  return new Response(finishing(hold.spool, next, reader, ex), { status, headers });
}

/**
 * Reads output into the spool, starting with `first`, until it ends (true) or `hold.maxBytes`
 * are held (false: the answer streams the spool, then the rest). A failed read throws, still
 * before the headers.
 */
async function holdBack(
  first: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  hold: Hold,
): Promise<boolean> {
  await hold.spool.add(first);
  while (hold.spool.size < hold.maxBytes) {
    const r = await reader.read();
    if (r.done) return true;
    await hold.spool.add(r.value);
  }
  return false;
}

/**
 * Emits the spool's bytes, then `next` and the rest of `reader`; ends the job when the stream
 * ends or is cancelled.
 */
function finishing(
  spool: Spool,
  first: ReadableStreamReadResult<Uint8Array> | undefined,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ex: Execution<unknown>,
): ReadableStream<Uint8Array> {
  let held: AsyncGenerator<Uint8Array> | undefined = spool.drain();
  let next = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (held !== undefined) {
          const h = await held.next();
          if (!h.done) return controller.enqueue(h.value);
          held = undefined;
        }
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
      await held?.return(undefined);
      spool.discard();
      await reader.cancel(reason).catch(() => {});
      await ex.finish(new SidecarHttpError(499, "cancelled: the client closed the response"));
    },
  }, { highWaterMark: 0 });
}
