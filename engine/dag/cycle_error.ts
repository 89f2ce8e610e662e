/**
 * The graph has a cycle; `cycle` lists it with the first node repeated at the end.
 *
 * @example
 * ```ts
 * import { CycleError } from "./cycle_error.ts";
 * const err = new CycleError(["a", "b", "a"]);
 * console.assert(err.message === "cycle detected: a → b → a");
 * ```
 */
export class CycleError extends Error {
  /** The nodes of the cycle, e.g. `["a", "b", "c", "a"]`. */
  readonly cycle: string[];
  /**
   * Creates the error; the message spells out the cycle.
   *
   * @param cycle The cycle path, first node repeated at the end.
   */
  constructor(cycle: string[]) {
    super(`cycle detected: ${cycle.join(" → ")}`);
    this.name = "CycleError";
    this.cycle = cycle;
  }
}
