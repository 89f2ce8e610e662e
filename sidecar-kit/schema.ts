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

/**
 * The type `sharedPath()` returns: a zod string schema whose output is the checked real path.
 * Use it as a field of `z.object({...})`; the `_zod` slot is what lets zod infer the field's
 * type as `string`. The value is a real zod schema, so zod's other methods work at run time too;
 * only `optional()` is typed here.
 *
 * @example
 * ```ts
 * import { sharedPath } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const schema = z.object({ input: sharedPath(), log: sharedPath().optional() });
 * type Input = z.output<typeof schema>;
 * const ok: Input = { input: "/shared/a" };
 * if (ok.log !== undefined) throw new Error();
 * ```
 */
export interface SharedPathSchema extends JobSchema<string, string> {
  /** zod's type slot (type-level only): the field's output and input type. */
  readonly _zod: { readonly output: string; readonly input: string };
  /**
   * The same path schema, but the field may be omitted (`run` then gets `undefined`).
   * @returns zod's optional wrapper of this schema.
   */
  optional(): OptionalSharedPathSchema;
}

/** `sharedPath().optional()`: a shared path field that may be omitted. */
export interface OptionalSharedPathSchema
  extends JobSchema<string | undefined, string | undefined> {
  /** zod's type slot (type-level only): an optional field of type `string`. */
  readonly _zod: {
    readonly output: string | undefined;
    readonly input: string | undefined;
    readonly optin: "optional";
    readonly optout: "optional";
  };
}
