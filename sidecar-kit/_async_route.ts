/**
 * Async jobs: `Prefer: respond-async` submission (202), `GET /jobs/:id`, `DELETE /jobs/:id` and
 * `GET /jobs/:id/events` (Server-Sent Events).
 * @module
 */
import type { Context, Hono } from "hono";
import { mapError, SidecarHttpError } from "./errors.ts";
import { execute, outcomeOf } from "./_execute.ts";
import {
  isFinal,
  type JobEntry,
  type JobEvent,
  type JobStatus,
  type JobStore,
} from "./_job_store.ts";
import type { Runtime, SidecarEnv } from "./_runtime.ts";
import type { JobContext } from "./types.ts";

/**
 * Longest `DELETE /jobs/:id` waits for the cancelled job to end (its processes get a SIGTERM
 * grace, then SIGKILL); after that it answers with the state as it is.
 */
export const CANCEL_WAIT_MS = 10_000;

/** Starts `run` in the background and answers 202 `{ id, status, status_url }`. */
export function submitAsync(
  c: Context<SidecarEnv>,
  rt: Runtime,
  store: JobStore,
  ids: { id: string; job: string; requestId: string },
  run: (ctx: JobContext) => Promise<Record<string, unknown>>,
): Response {
  const controller = new AbortController();
  const entry = store.create(ids.id, ids.job, controller);
  execute(rt, {
    ...ids,
    controller,
    onStart: () => store.start(entry),
    onProgress: (p) => store.progress(entry, p),
  }, run).then(async (ex) => {
    await ex.finish();
    store.finish(entry, "succeeded", { result: rt.paths.virtualize(ex.value) });
  }, (error) => {
    const m = mapError(error);
    const status: JobStatus = outcomeOf(error);
    store.finish(entry, status, { error: m.body, httpStatus: m.status });
  });
  const statusUrl = `/jobs/${ids.id}`;
  c.header("location", statusUrl);
  c.header("preference-applied", "respond-async");
  return c.json({ id: ids.id, status: entry.state.status, status_url: statusUrl }, 202);
}

/** Registers the `/jobs/:id` routes. */
export function registerAsyncRoutes(app: Hono<SidecarEnv>, store: JobStore): void {
  const find = (c: Context<SidecarEnv>): JobEntry => {
    const id = c.req.param("id") ?? "";
    const entry = store.get(id);
    if (!entry) throw new SidecarHttpError(404, `unknown job id "${id}" (finished jobs expire)`);
    return entry;
  };
  app.get("/jobs/:id", (c) => c.json(find(c).state));
  app.delete("/jobs/:id", async (c) => {
    const entry = find(c);
    if (isFinal(entry.state.status)) {
      throw new SidecarHttpError(
        409,
        `job ${entry.state.id} already finished (${entry.state.status})`,
        {
          status: entry.state.status,
        },
      );
    }
    entry.controller.abort(new SidecarHttpError(499, "cancelled: DELETE /jobs/:id"));
    // Answer with the final state, once the job's processes are gone (bounded).
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([entry.ended, new Promise((r) => timer = setTimeout(r, CANCEL_WAIT_MS))]);
    clearTimeout(timer);
    return c.json(entry.state);
  });
  app.get("/jobs/:id/events", (c) => sse(find(c), store));
}

const enc = new TextEncoder();
const frame = (e: JobEvent) => enc.encode(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);

function sse(entry: JobEntry, store: JobStore): Response {
  let unsubscribe = () => {};
  let ping: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    unsubscribe();
    clearInterval(ping);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(frame({ type: "status", data: entry.state }));
      if (isFinal(entry.state.status)) {
        controller.enqueue(frame({ type: "end", data: entry.state }));
        controller.close();
        return;
      }
      unsubscribe = store.subscribe(entry, (e) => {
        controller.enqueue(frame(e));
        if (e.type === "end") {
          stop();
          controller.close();
        }
      });
      // Comment lines keep proxies from timing the stream out during long silent phases.
      ping = setInterval(() => controller.enqueue(enc.encode(": ping\n\n")), 15_000);
    },
    cancel: stop,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
}
