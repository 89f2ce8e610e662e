/**
 * A sidecar answered with a non-2xx status (or could not be reached before the node's signal
 * aborted). Carries the HTTP status and the sidecar's `{ "error": ... }` text.
 *
 * @example
 * ```ts
 * import { SidecarError } from "./sidecar_error.ts";
 * const err = new SidecarError("ffmpeg", 422, "input not found");
 * console.assert(err.message === 'sidecar "ffmpeg" answered 422: input not found');
 * ```
 */
export class SidecarError extends Error {
  /** The sidecar's name. */
  readonly sidecar: string;
  /** The HTTP status, or 0 when no answer was received. */
  readonly status: number;
  /** The sidecar's error text (its `{ "error": ... }` field, else the raw body). */
  readonly detail: string;

  /**
   * Creates the error.
   *
   * @param sidecar The sidecar's name.
   * @param status The HTTP status, or 0 when there was no answer.
   * @param detail The sidecar's error text.
   * @param options The underlying cause, if any.
   */
  constructor(sidecar: string, status: number, detail: string, options?: ErrorOptions) {
    const what = status === 0 ? "could not be reached" : `answered ${status}`;
    super(`sidecar "${sidecar}" ${what}: ${detail}`, options);
    this.name = "SidecarError";
    this.sidecar = sidecar;
    this.status = status;
    this.detail = detail;
  }
}
