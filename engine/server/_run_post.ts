/**
 * `POST /run`, answered before Hono: it is the route every run takes, and Hono's context,
 * middleware chain and response helpers cost about a fifth of the engine's runs/s on it
 * (in-process engine under wrk, 2 vCPUs: 5,600 -> 6,800 runs/s). Same answers as the Hono
 * routes: JSON bodies, `{ "error" }` on failure, `X-Request-Id` and `X-Run-Id` headers.
 * @module
 */
import { HTTPException } from "hono/http-exception";
import type { EngineAppOptions } from "./app.ts";
import { DEFAULT_MAX_BODY_BYTES, parseJsonInput, readBody } from "./read_body.ts";
import { closeScope, errorAnswer, openScope, type RequestScope } from "./_request_scope.ts";
import { NotAcceptingError, RunLimitError } from "./run_errors.ts";
import type { RunRecord, StartedRun } from "./run_registry.ts";

/**
 * Starts a run for an HTTP request, or throws the HTTP answer refusing it: 503 while the
 * engine is not accepting (starting or draining), 429 at the concurrent-run limit, both with
 * `Retry-After`; either refusal is counted and logged.
 *
 * @param options The app's options.
 * @param input The run's input.
 * @param trigger The trigger label (`manual`, `webhook:<path>`).
 * @param scope The request's scope.
 * @returns The started run.
 */
export function startRun(
  options: EngineAppOptions,
  input: unknown,
  trigger: string,
  scope: Pick<RequestScope, "id" | "log">,
): StartedRun {
  try {
    const refusal = options.refusal?.();
    if (refusal !== undefined) throw new NotAcceptingError(refusal);
    return options.runs.start(input, { trigger, requestId: scope.id });
  } catch (err) {
    const status = err instanceof RunLimitError
      ? 429
      : err instanceof NotAcceptingError
      ? 503
      : undefined;
    if (status === undefined) throw err;
    options.metrics.runRejected(status === 429 ? "limit" : "not_accepting");
    scope.log.info("run refused", { status, reason: (err as Error).message, trigger });
    const retryAfter = String(options.retryAfterSeconds ?? 1);
    const res = new Response(null, { headers: { "Retry-After": retryAfter } });
    throw new HTTPException(status, { message: (err as Error).message, res, cause: err });
  }
}

/** The 202 body and `Location` of a run started in the background. */
export function acceptedBody(record: RunRecord): { body: object; location: string } {
  const location = `/runs/${record.runId}`;
  return { body: { runId: record.runId, status: record.status, location }, location };
}

/**
 * Whether `url` (a full request URL) is `/run`, with or without a query: compared in place,
 * no URL object (this is every run's request).
 */
export function isRunPath(url: string): boolean {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start >= 0 && url.startsWith("/run", start) &&
    (url.length === start + 4 || url.charCodeAt(start + 4) === 63); // "?"
}

/**
 * Makes the `POST /run` handler: waits for the run and answers its RunResult (200 when it
 * succeeded, 500 otherwise); `?async=true` or `Prefer: respond-async` answers 202 at once.
 *
 * @param options The app's options.
 * @returns The handler, for requests {@linkcode isRunPath} says are `/run`.
 */
export function postRunHandler(options: EngineAppOptions): (req: Request) => Promise<Response> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req) => {
    const scope = openScope(options.log, req.headers.get("x-request-id"));
    const headers: Record<string, string> = { "x-request-id": scope.id };
    let res: Response;
    try {
      res = await postRun(req, scope, headers);
    } catch (err) {
      const failed = errorAnswer(err, scope, "/run");
      res = json(failed.body, failed.status, { ...failed.headers, ...headers });
    }
    closeScope(scope, options.metrics, { method: "POST", route: "/run", path: "/run" }, res.status);
    return res;
  };

  async function postRun(
    req: Request,
    scope: RequestScope,
    headers: Record<string, string>,
  ): Promise<Response> {
    const wantsAsync = asyncRequested(req);
    const input = parseJsonInput(await readBody(req, limit));
    const { record, done } = startRun(options, input, "manual", scope);
    headers["x-run-id"] = record.runId;
    if (wantsAsync) {
      const { body, location } = acceptedBody(record);
      return json(body, 202, { ...headers, location });
    }
    const finished = await done;
    if (finished.result === undefined) {
      return json({ error: finished.error ?? "run failed", runId: finished.runId }, 500, headers);
    }
    return json(finished.result, finished.status === "succeeded" ? 200 : 500, headers);
  }
}

function asyncRequested(req: Request): boolean {
  const value = req.url.includes("?") ? new URL(req.url).searchParams.get("async") : null;
  if (value === null) return /\brespond-async\b/.test(req.headers.get("prefer") ?? "");
  if (value === "" || value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new HTTPException(400, {
    message: `query parameter "async" must be true or false, got "${value}"`,
  });
}

/**
 * A JSON answer. The extra headers are set on the built response: passing them to the
 * constructor runs WebIDL's record conversion, about 5x slower (5.6 vs 1.1 µs, Deno 2.9).
 */
function json(body: unknown, status: number, headers: Record<string, string>): Response {
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
  for (const name in headers) res.headers.set(name, headers[name]!);
  return res;
}
