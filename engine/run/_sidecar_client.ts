import type { SidecarClient } from "./context.ts";
import type { SidecarInfo } from "./_protocol.ts";
import { SidecarError } from "./sidecar_error.ts";

/** What a sidecar client needs from its sandbox. */
export interface SidecarEnv {
  fetch: typeof fetch;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Sidecars known to be ready, shared by every client of the sandbox. */
  ready: Set<string>;
}

const FIRST_DELAY_MS = 50;
const MAX_DELAY_MS = 1_000;
const MAX_DETAIL = 500;

/** Whether a fetch failure means nothing listened on the port (the request never arrived). */
export function isConnectionRefused(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof Deno.errors.ConnectionRefused || /connection refused/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/** Builds `ctx.sidecar(name)` for one node attempt. */
export function sidecarClient(
  info: SidecarInfo,
  env: SidecarEnv,
  signal: () => AbortSignal,
): SidecarClient {
  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
      throw new TypeError(
        `ctx.sidecar("${info.name}").fetch(${JSON.stringify(path)}): the path must start with "/"`,
      );
    }
    const abort = init.signal ? AbortSignal.any([signal(), init.signal]) : signal();
    const replayable = !(init.body instanceof ReadableStream);
    if (!env.ready.has(info.name)) await waitReady(info, env, abort);
    for (let delay = FIRST_DELAY_MS;; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
      let res: Response;
      try {
        res = await env.fetch(info.url + path, { ...init, signal: abort });
      } catch (error) {
        if (abort.aborted) {
          throw unreachable(
            info,
            `the request was aborted (${describeFailure(abort.reason)})`,
            error,
          );
        }
        if (!isConnectionRefused(error) || !replayable) {
          throw unreachable(info, describeFailure(error), error);
        }
        env.ready.delete(info.name);
        await pause(info, env, delay, abort, error);
        continue;
      }
      if (res.ok) return res;
      throw new SidecarError(info.name, res.status, await errorText(res));
    }
  }
  return {
    name: info.name,
    url: info.url,
    fetch: send,
    async json<T>(path: string, body?: unknown): Promise<T> {
      const init: RequestInit = body === undefined ? {} : {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      };
      const res = await send(path, init);
      const text = await res.text();
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new SidecarError(info.name, res.status, `answer is not JSON: ${clip(text)}`, {
          cause,
        });
      }
    },
  };
}

async function waitReady(info: SidecarInfo, env: SidecarEnv, abort: AbortSignal): Promise<void> {
  let last = "no answer yet";
  for (let delay = FIRST_DELAY_MS;; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      const res = await env.fetch(info.url + info.healthPath, { signal: abort });
      await res.body?.cancel();
      if (res.status === 200) {
        env.ready.add(info.name);
        return;
      }
      last = `GET ${info.healthPath} answered ${res.status}`;
    } catch (error) {
      if (abort.aborted) break;
      last = `GET ${info.healthPath} failed: ${describeFailure(error)}`;
    }
    await pause(info, env, delay, abort, last);
  }
  throw unreachable(info, `not ready (${last})`, abort.reason);
}

async function pause(
  info: SidecarInfo,
  env: SidecarEnv,
  ms: number,
  abort: AbortSignal,
  last: unknown,
): Promise<void> {
  try {
    await env.sleep(ms, abort);
  } catch (cause) {
    const why = typeof last === "string" ? last : describeFailure(last);
    throw unreachable(info, `gave up when the node's signal aborted (${why})`, cause);
  }
}

/** An error and its causes as one line: fetch's "fetch failed" alone says nothing. */
function describeFailure(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; depth < 5 && e !== undefined; depth++) {
    const text = e instanceof Error ? e.message : String(e);
    if (text !== "" && !parts.includes(text)) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(": ") || "unknown error";
}

function unreachable(info: SidecarInfo, why: string, cause: unknown): SidecarError {
  return new SidecarError(info.name, 0, why, { cause });
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (body && typeof body.error === "string") return body.error;
  } catch {
    // not JSON: report the raw text
  }
  return clip(text) || res.statusText || "(empty body)";
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}
