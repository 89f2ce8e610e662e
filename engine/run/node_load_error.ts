/**
 * Node modules could not be loaded when the runner started: a missing file, a syntax error, no
 * default export function, or a permission the sandbox does not have.
 *
 * @example
 * ```ts
 * import { NodeLoadError } from "./node_load_error.ts";
 * const err = new NodeLoadError({ a: 'node "a": cannot load file:///app/a.ts: boom' });
 * console.assert(err.message.includes("1 node module"));
 * ```
 */
export class NodeLoadError extends Error {
  /** The problem of each node that failed, by node name. */
  readonly errors: Record<string, string>;

  /**
   * Creates the error.
   *
   * @param errors The problem of each failing node, by node name.
   */
  constructor(errors: Record<string, string>) {
    const names = Object.keys(errors).sort();
    super(
      `${names.length} node module${names.length === 1 ? "" : "s"} could not be loaded:\n` +
        names.map((n) => `  - ${errors[n]}`).join("\n"),
    );
    this.name = "NodeLoadError";
    this.errors = errors;
  }
}
