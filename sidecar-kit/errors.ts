/**
 * The one HTTP error type and the one mapping from any error to a JSON error response.
 * @module
 */
import { HTTPException } from "hono/http-exception";
import { ProcessError } from "./process_error.ts";
import { SharedPathError } from "./shared_paths.ts";

/**
 * The kit's one HTTP error type: a status and extra JSON fields. Throw it from a job to choose the status;
 * the response is `{ "error": message, ...details }`.
 *
 * @example
 * ```ts
 * import { SidecarHttpError } from "@tntc/sidecar-kit";
 * const e = new SidecarHttpError(422, "video has no audio stream", { stream: "audio" });
 * if (e.status !== 422 || e.details.stream !== "audio") throw new Error();
 * ```
 */
export class SidecarHttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Extra JSON fields of the error body. */
  readonly details: Record<string, unknown>;
  /** Extra response headers (`Retry-After`, `Allow`). */
  readonly headers: Record<string, string>;

  /**
   * Creates the error.
   * @param status HTTP status (4xx/5xx, 499 for a client that went away).
   * @param message The `error` text.
   * @param details Extra JSON fields.
   * @param options `headers` and `cause`.
   */
  constructor(
    status: number,
    message: string,
    details: Record<string, unknown> = {},
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.name = "SidecarHttpError";
    this.details = details;
    this.headers = options.headers ?? {};
  }
}

/** A JSON error body plus what the log needs. */
export interface MappedError {
  /** HTTP status. */
  status: number;
  /** `{ error, ...details }`. */
  body: Record<string, unknown>;
  /** Extra headers. */
  headers: Record<string, string>;
  /** True when unexpected (logged with a stack). */
  unexpected: boolean;
}

/**
 * Maps any thrown value to the JSON error contract: `SidecarHttpError`/`HTTPException` keep
 * their status, `SharedPathError` is 400, `ProcessError` is 500 (504 for its own timeout) with
 * `exit_code` and `stderr_tail`, anything else is an unexpected 500.
 *
 * @param err What was thrown.
 * @returns Status, body and headers.
 * @example
 * ```ts
 * import { mapError, ProcessError } from "@tntc/sidecar-kit";
 * const m = mapError(new ProcessError({ reason: "exit", argv: ["ffmpeg"], code: 1, stderrTail: "bad" }));
 * if (m.status !== 500 || m.body.exit_code !== 1) throw new Error();
 * ```
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof SidecarHttpError) {
    const body = { error: err.message, ...err.details };
    return { status: err.status, body, headers: err.headers, unexpected: false };
  }
  if (err instanceof HTTPException) {
    return { status: err.status, body: { error: err.message }, headers: {}, unexpected: false };
  }
  if (err instanceof SharedPathError) {
    return {
      status: 400,
      body: { error: err.message, path: err.path },
      headers: {},
      unexpected: false,
    };
  }
  if (err instanceof ProcessError) {
    const body: Record<string, unknown> = {
      error: err.message,
      tool: err.argv[0] ?? null,
      exit_code: err.code,
      signal: err.signal,
      stderr_tail: err.stderrTail.slice(-4096),
    };
    return { status: err.reason === "timeout" ? 504 : 500, body, headers: {}, unexpected: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: 500,
    body: { error: `internal error: ${message}` },
    headers: {},
    unexpected: true,
  };
}

/**
 * Builds the JSON error response for `err`.
 * @param err What was thrown.
 * @param requestId Echoed in `X-Request-Id` when given.
 * @returns The response.
 * @example
 * ```ts
 * import { errorResponse, SidecarHttpError } from "@tntc/sidecar-kit";
 * const res = errorResponse(new SidecarHttpError(404, "no route"));
 * if (res.status !== 404) throw new Error();
 * ```
 */
export function errorResponse(err: unknown, requestId?: string): Response {
  const m = mapError(err);
  const headers: Record<string, string> = { "content-type": "application/json", ...m.headers };
  if (requestId) headers["x-request-id"] = requestId;
  return new Response(JSON.stringify(m.body), { status: m.status, headers });
}
