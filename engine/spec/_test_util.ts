import { WorkflowSyntaxError, WorkflowValidationError } from "./errors.ts";
import { loadWorkflow } from "./load.ts";

/** A workflow header that is valid on its own; tests append to it. */
export const HEADER = 'name: demo\nversion: "1.0"\n';

/**
 * Writes `yaml` as `workflow.yaml` (plus `files`) into a fresh temp dir, loads it, and returns
 * every problem as `LINE:COL: message`, or `["ok"]` when valid.
 */
export async function problems(
  yaml: string,
  files: Record<string, string> = { "nodes/a.ts": "export default () => 1;\n" },
): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "tntc-spec-" });
  try {
    await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml);
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    await loadWorkflow(dir);
    return ["ok"];
  } catch (err) {
    if (err instanceof WorkflowValidationError) {
      return err.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
    }
    if (err instanceof WorkflowSyntaxError) return [`${err.line}:${err.column}: ${err.message}`];
    throw err;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A one-node workflow with the given extra YAML appended. */
export function withNode(extra: string): string {
  return `${HEADER}nodes:\n  a:\n    path: ./nodes/a.ts\n${extra}`;
}
