/**
 * Request ids: a valid `X-Request-Id` is kept, anything else gets a generated id. Generated ids
 * are a random per-process prefix plus a counter — unique like a UUID for log correlation, but
 * without the per-request random draw that cost throughput on the health route.
 * @module
 */

/** Request ids accepted from `X-Request-Id` (others are replaced by a generated one). */
export const REQUEST_ID_RE = /^[\w.:@\/+=-]{1,200}$/;

/** 64 random bits, drawn once per process (module load), so ids of two processes never meet. */
const PREFIX = [...crypto.getRandomValues(new Uint8Array(8))]
  .map((b) => b.toString(16).padStart(2, "0")).join("");
let counter = 0;

/**
 * A new id, `<16 hex digits>-<counter in base 36>`, e.g. `9f3c0a5b1d2e4f60-1k`.
 *
 * @returns An id that no other request of any sidecar process has.
 * @example
 * ```ts
 * import { newRequestId } from "./_request_id.ts";
 * const a = newRequestId(), b = newRequestId();
 * if (a === b || !/^[0-9a-f]{16}-[0-9a-z]+$/.test(a)) throw new Error(`${a} ${b}`);
 * ```
 */
export function newRequestId(): string {
  return `${PREFIX}-${(++counter).toString(36)}`;
}

/**
 * The request id to use: `given` when it is a valid id, else a new one.
 *
 * @param given The `X-Request-Id` header, if any.
 * @returns The id to log and echo.
 * @example
 * ```ts
 * import { requestIdFor } from "./_request_id.ts";
 * if (requestIdFor("abc-123") !== "abc-123") throw new Error("kept");
 * if (requestIdFor("bad id with spaces") === "bad id with spaces") throw new Error("replaced");
 * ```
 */
export function requestIdFor(given: string | null | undefined): string {
  return given && REQUEST_ID_RE.test(given) ? given : newRequestId();
}
