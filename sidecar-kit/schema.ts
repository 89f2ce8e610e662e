/**
 * The schema types of the public API. They are structural (the Standard Schema v1 shape that
 * every zod 4 schema has), so the kit's documented API names no zod-internal type while `run`
 * still receives exactly the zod output type.
 * @module
 */
/** The Standard Schema v1 properties the kit reads; every zod 4 schema has them. */
export interface JobSchemaProps<Output = unknown, Input = unknown> {
  /** Standard Schema version (always 1). */
  readonly version: 1;
  /** Library that made the schema (`"zod"`). */
  readonly vendor: string;
  /** Validates a value (the kit itself parses with zod, see {@linkcode JobSchema}). */
  readonly validate: (value: unknown) => unknown;
  /** Type-only slot carrying the input and output types; never read at run time. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/**
 * A schema for a job's input or output. Every zod 4 schema is one; at run time the kit requires
 * a zod 4 schema (it parses with `safeParseAsync` and documents with `z.toJSONSchema`), and
 * `job()` throws a `TypeError` for anything else.
 *
 * @example
 * ```ts
 * import type { JobSchema, SchemaOutput } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const schema = z.object({ fps: z.number().default(1) });
 * const s: JobSchema = schema;
 * const value: SchemaOutput<typeof schema> = { fps: 2 };
 * if (!s["~standard"] || value.fps !== 2) throw new Error();
 * ```
 */
export interface JobSchema<Output = unknown, Input = unknown> {
  /** The Standard Schema v1 properties. */
  readonly "~standard": JobSchemaProps<Output, Input>;
}

/**
 * The validated (output) type of a schema: what `run` receives; `z.output<S>` for zod.
 *
 * @example
 * ```ts
 * import type { SchemaOutput } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const schema = z.string().transform((s) => s.length);
 * const n: SchemaOutput<typeof schema> = 3;
 * if (n !== 3) throw new Error();
 * ```
 */
export type SchemaOutput<S extends JobSchema> = NonNullable<S["~standard"]["types"]>["output"];
