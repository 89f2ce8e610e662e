/**
 * The zod schema behind a public {@linkcode JobSchema}: the kit parses and documents with zod.
 * @module
 */
import { z } from "zod";
import type { JobSchema } from "./schema.ts";

/**
 * The zod schema behind a {@linkcode JobSchema}, for the kit's own parsing and OpenAPI.
 *
 * @param schema A job's `input` or `output`.
 * @param where What it is, for the error (e.g. `job input`).
 * @returns The same object, typed as a zod schema.
 * @throws {TypeError} When `schema` is not a zod 4 schema.
 * @example
 * ```ts
 * import { z } from "zod";
 * import { zodSchema } from "./_zod_schema.ts";
 * const s = zodSchema(z.string(), "job input");
 * if (!z.safeParse(s, "x").success) throw new Error();
 * ```
 */
export function zodSchema(schema: JobSchema, where: string): z.core.$ZodType {
  if (!(schema instanceof z.core.$ZodType)) {
    throw new TypeError(`${where} must be a zod 4 schema (got vendor "${vendorOf(schema)}")`);
  }
  return schema;
}

function vendorOf(schema: unknown): string {
  const props = (schema as { "~standard"?: { vendor?: unknown } } | null)?.["~standard"];
  return typeof props?.vendor === "string" ? props.vendor : typeof schema;
}
