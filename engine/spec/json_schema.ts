import { z } from "zod";
import { WorkflowSchema } from "./schema.ts";

/** The `$id` of the generated schema. */
export const SCHEMA_ID = "https://tentacular.dev/schemas/workflow.schema.json";

/**
 * Generates a JSON Schema (draft 2020-12) for workflow.yaml from the zod schema, describing
 * what a person may write (defaults are optional), for editors such as the YAML language server.
 *
 * @returns The JSON Schema object.
 * @example
 * ```ts
 * import { workflowJsonSchema } from "./json_schema.ts";
 * const schema = workflowJsonSchema();
 * console.assert((schema.required as string[]).includes("nodes"));
 * ```
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(WorkflowSchema, { io: "input", unrepresentable: "any" });
  return { ...schema, $id: SCHEMA_ID };
}
