import { checkSidecars } from "./sidecar_rules.ts";
import type { SpecIssueDraft } from "./_draft.ts";
import type { SpecIssue, SpecPath } from "./errors.ts";
import { WorkflowValidationError } from "./errors.ts";
import { checkGraph } from "./graph_rules.ts";
import { checkNodes, type NodeFileSystem } from "./node_rules.ts";
import { type Workflow, WorkflowSchema } from "./schema.ts";
import { checkContract, checkTriggers } from "./trigger_rules.ts";
import { parseYamlSource } from "./yaml_source.ts";
import { fromZodIssues } from "./zod_issues.ts";
import { denoFileSystem } from "./_deno_fs.ts";

/** Options for {@linkcode validateWorkflow}. */
export interface ValidateOptions {
  /** The workflow directory; node files are checked against it. Omit to skip file checks. */
  dir?: string;
  /** File system used for node file checks (default: the real one). */
  fs?: NodeFileSystem;
  /** File name used in messages (default `workflow.yaml`). */
  file?: string;
}

/**
 * Parses and validates workflow YAML text, collecting every problem at once.
 *
 * @param text The workflow.yaml source.
 * @param options Where the workflow lives, for node file checks.
 * @returns The workflow with defaults applied.
 * @throws {WorkflowSyntaxError} When the text is not a YAML mapping.
 * @throws {WorkflowValidationError} With every problem, sorted by position.
 * @example
 * ```ts
 * import { validateWorkflow } from "./validate.ts";
 * const wf = validateWorkflow(
 *   "name: demo\nversion: \"1.0\"\nnodes:\n  hello:\n    path: ./hello.ts\n",
 * );
 * console.assert(wf.config.timeout === "30s");
 * ```
 */
export function validateWorkflow(text: string, options: ValidateOptions = {}): Workflow {
  const source = parseYamlSource(text);
  const data = source.data as Record<string, unknown>;
  const drafts: SpecIssueDraft[] = [
    ...checkSidecars(data.sidecars),
    ...checkGraph(data.nodes, data.edges),
    ...checkNodes(data, options.dir, options.fs ?? denoFileSystem),
    ...checkTriggers(data.triggers),
    ...checkContract(data.contract),
  ];
  const parsed = WorkflowSchema.safeParse(data);
  if (!parsed.success) {
    // A rule with an exact message owns its path: drop zod's generic issue there.
    const owned = drafts.map((d) => d.path);
    const zodDrafts = fromZodIssues(parsed.error.issues, WorkflowSchema, data, source.sourceText);
    drafts.push(...zodDrafts.filter((z) => !owned.some((p) => samePath(p, z.path))));
  }
  if (drafts.length > 0) {
    const issues = place(drafts, source.locate);
    throw new WorkflowValidationError(issues, options.file);
  }
  return parsed.data!;
}

function samePath(a: SpecPath, b: SpecPath): boolean {
  return a.length === b.length && a.every((p, i) => String(p) === String(b[i]));
}

function place(
  drafts: SpecIssueDraft[],
  locate: (path: SpecPath, o?: { key?: boolean }) => { line: number; column: number },
): SpecIssue[] {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  for (const d of drafts) {
    const pos = locate(d.path, { key: d.atKey ?? false });
    const key = `${pos.line}:${pos.column}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ message: d.message, path: d.path, line: pos.line, column: pos.column });
  }
  return issues.sort((a, b) =>
    a.line - b.line || a.column - b.column ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
