/** A path into the workflow document, e.g. `["sidecars", 0, "port"]`. */
export type SpecPath = (string | number)[];

/** One problem found in a workflow file, with its position (1-based). */
export interface SpecIssue {
  /** Human-readable message; for the Sidecar Specification rules, its exact text. */
  message: string;
  /** Where in the document the problem is. */
  path: SpecPath;
  /** 1-based line of the offending key or value (1 when the file has no better position). */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * The workflow file is not well-formed YAML (or is too large, or is not a mapping).
 *
 * @example
 * ```ts
 * import { WorkflowSyntaxError } from "./errors.ts";
 * const err = new WorkflowSyntaxError("bad indentation", 3, 5);
 * console.assert(err.line === 3 && err.column === 5);
 * ```
 */
export class WorkflowSyntaxError extends SyntaxError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;
  /**
   * Creates the error with its position.
   *
   * @param message What is wrong.
   * @param line 1-based line.
   * @param column 1-based column.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, line: number, column: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkflowSyntaxError";
    this.line = line;
    this.column = column;
  }
}

/**
 * The workflow file parsed but breaks one or more rules. `issues` holds every problem,
 * sorted by position.
 *
 * @example
 * ```ts
 * import { WorkflowValidationError } from "./errors.ts";
 * const err = new WorkflowValidationError([
 *   { message: "duplicate sidecar port: 9000", path: ["sidecars", 1, "port"], line: 9, column: 11 },
 * ]);
 * console.assert(err.issues.length === 1);
 * ```
 */
export class WorkflowValidationError extends Error {
  /** Every problem found, sorted by line then column. */
  readonly issues: SpecIssue[];
  /**
   * Creates the error; the message lists every issue as `file:line:col: message`.
   *
   * @param issues The problems found (at least one).
   * @param file The file name used in the message, e.g. `workflow.yaml`.
   */
  constructor(issues: SpecIssue[], file = "workflow.yaml") {
    super(
      `${file} has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((i) => `${file}:${i.line}:${i.column}: ${i.message}`).join("\n"),
    );
    this.name = "WorkflowValidationError";
    this.issues = issues;
  }
}

/**
 * Formats a path the way a person reads it: `sidecars[0].resources.limits.cpu`.
 *
 * @param path The path to format.
 * @returns The dotted path, with array indices in brackets; `(root)` for the empty path.
 * @example
 * ```ts
 * import { formatPath } from "./errors.ts";
 * console.assert(formatPath(["sidecars", 0, "port"]) === "sidecars[0].port");
 * ```
 */
export function formatPath(path: SpecPath): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}
