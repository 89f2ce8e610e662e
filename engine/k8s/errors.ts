/**
 * The workflow is valid but cannot become Kubernetes objects as asked (e.g. a Secret name
 * Kubernetes rejects, an invalid `--namespace`, code too large for a ConfigMap). `problems`
 * holds every one, sorted.
 *
 * @example
 * ```ts
 * import { ManifestError } from "./errors.ts";
 * const err = new ManifestError(['namespace "A" is not a valid namespace name']);
 * console.assert(err.problems.length === 1 && err.name === "ManifestError");
 * ```
 */
export class ManifestError extends RangeError {
  /** Every problem found, sorted. */
  readonly problems: string[];
  /**
   * Collects the problems; the message lists them all.
   *
   * @param problems What is wrong, one message per problem.
   * @param options Standard error options (`cause`).
   */
  constructor(problems: string[], options?: ErrorOptions) {
    const sorted = [...problems].sort();
    super(
      sorted.length === 1
        ? `cannot generate manifests: ${sorted[0]}`
        : `cannot generate manifests (${sorted.length} problems):\n  ${sorted.join("\n  ")}`,
      options,
    );
    this.name = "ManifestError";
    this.problems = sorted;
  }
}
