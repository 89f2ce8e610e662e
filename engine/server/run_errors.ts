/**
 * Thrown by {@linkcode RunRegistry.start} when the concurrent-run limit is reached.
 * The HTTP layer answers 429 with `Retry-After`.
 *
 * @example
 * ```ts
 * import { RunLimitError } from "./run_errors.ts";
 * const err = new RunLimitError(16);
 * console.assert(err.message === "too many concurrent runs: the limit is 16; retry later");
 * ```
 */
export class RunLimitError extends RangeError {
  /** The concurrent-run limit that was reached. */
  readonly limit: number;

  /**
   * Creates the error.
   *
   * @param limit The concurrent-run limit.
   */
  constructor(limit: number) {
    super(`too many concurrent runs: the limit is ${limit}; retry later`);
    this.name = "RunLimitError";
    this.limit = limit;
  }
}

/**
 * Thrown when a run is requested while the engine is not accepting runs: it is still
 * waiting for its sidecars, or it is shutting down. The HTTP layer answers 503.
 *
 * @example
 * ```ts
 * import { NotAcceptingError } from "./run_errors.ts";
 * const err = new NotAcceptingError("engine is shutting down");
 * console.assert(err.name === "NotAcceptingError");
 * ```
 */
export class NotAcceptingError extends Error {
  /**
   * Creates the error.
   *
   * @param message Why runs are not accepted.
   */
  constructor(message: string) {
    super(message);
    this.name = "NotAcceptingError";
  }
}
