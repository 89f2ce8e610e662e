/**
 * What every request gets, on the Hono routes and on the `POST /run` path alike: its request
 * id, a logger carrying it, the request metric and the debug request line.
 * @module
 */
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
  const scoped = log.child({ requestId: id });
  return { id, log: scoped, started: scoped.enabled("debug") ? performance.now() : 0 };
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
