/**
 * What every request gets, on the Hono routes and on the `POST /run` path alike: its request
 * id, a logger carrying it, the request metric and the debug request line.
 * @module
 */
import { HTTPException } from "hono/http-exception";
import type { EngineLogger } from "./log.ts";
import type { EngineMetrics } from "./metrics.ts";

/** Request ids kept from `X-Request-Id`; anything else gets a new UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** One request's id, logger and start time (0 unless debug lines are written). */
export interface RequestScope {
  /** The `X-Request-Id` of the answer. */
  id: string;
  /** The engine logger with `requestId` on every line. */
  log: EngineLogger;
  /** `performance.now()` at the start when the debug request line will be written, else 0. */
  started: number;
}

/**
 * Opens a request's scope.
 *
 * @param log The engine logger.
 * @param given The request's `X-Request-Id`, if any.
 * @returns The scope: `given` when it is a valid id, else a new UUID.
 */
export function openScope(log: EngineLogger, given: string | null | undefined): RequestScope {
  const id = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
  let scoped: EngineLogger | undefined;
  return {
    id,
    // Made on first use: most requests (a run that succeeds) never log through it.
    get log() {
      return scoped ??= log.child({ requestId: id });
    },
    started: log.enabled("debug") ? performance.now() : 0,
  };
}

/**
 * Counts the answered request and writes its debug line.
 *
 * @param scope The request's scope.
 * @param metrics Where the request is counted.
 * @param req What was asked: method, route label (bounded cardinality) and path.
 * @param status The answer's status.
 */
export function closeScope(
  scope: RequestScope,
  metrics: EngineMetrics,
  req: { method: string; route: string; path: string },
  status: number,
): void {
  metrics.httpRequest(req.method, req.route, status);
  if (scope.started > 0) {
    const ms = Math.round((performance.now() - scope.started) * 100) / 100;
    scope.log.debug("request", { method: req.method, path: req.path, status, ms });
  }
}

/** The JSON answer of a failed request: status, `{ error }` body and extra headers. */
export interface ErrorAnswer {
  /** HTTP status. */
  status: HTTPException["status"];
  /** `{ error: "..." }`. */
  body: { error: string };
  /** E.g. `Retry-After` of a 429 or 503. */
  headers: Record<string, string>;
}

/**
 * What a failed request answers: an `HTTPException` its status, message and headers; anything
 * else is logged and becomes a 500 naming the request id.
 *
 * @param err What was thrown.
 * @param scope The request's id and logger.
 * @param path The request path, for the log line.
 * @returns The answer.
 */
export function errorAnswer(
  err: unknown,
  scope: Pick<RequestScope, "id" | "log">,
  path: string,
): ErrorAnswer {
  if (err instanceof HTTPException) {
    const headers = Object.fromEntries(new Headers(err.res?.headers));
    return { status: err.status, body: { error: err.message }, headers };
  }
  scope.log.error("unexpected error", { error: err, path });
  return { status: 500, body: { error: `internal error (request ${scope.id})` }, headers: {} };
}
