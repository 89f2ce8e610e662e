/**
 * The types of `sharedPath()` and of what zod's common combinators make of it. They describe the
 * real zod schema structurally (so the documented API names no zod-internal type), and carry
 * zod's `_zod` type slot, so `z.object({...})` infers each field's input and output.
 * @module
 */
import type { JobSchema, SchemaOutput } from "./schema.ts";

/** zod's type slot (type level only; never read at run time). */
export interface FieldTypes<Output, Input> {
  /** The parsed type. */
  readonly output: Output;
  /** The accepted type. */
  readonly input: Input;
}

/** What `superRefine` and `transform` callbacks can do besides reading the value. */
export interface RefinementContext {
  /**
   * Reports a problem: the request fails with 400, naming the field (plus `path` below it).
   * @param issue The message, or the message with a sub-path and the offending input.
   */
  addIssue(issue: string | { message: string; path?: PropertyKey[]; input?: unknown }): void;
}

/** The error text and options of `refine`. */
export interface RefineParams {
  /** The message when the check fails. */
  error?: string;
  /** Where below the field the issue is reported. */
  path?: PropertyKey[];
  /** Stop at this failure instead of collecting further issues of the field. */
  abort?: boolean;
}

/**
 * A schema field: `sharedPath()` ({@linkcode SharedPathSchema}) and what `refine`,
 * `superRefine`, `transform`, `pipe`, `array` and `describe` make of it. Each method is zod's
 * own (the value is a real zod schema); only the types are spelled out here. Callbacks receive
 * the resolved **real** path, after the shared-directory checks passed.
 *
 * @example
 * ```ts
 * import { sharedPath, SharedPaths, withSharedPaths } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const schema = z.object({
 *   video: sharedPath().refine((p) => p.endsWith(".mp4"), { error: "must be an .mp4 file" }),
 *   name: sharedPath().transform((p) => p.split("/").pop()!),
 *   parts: sharedPath().array().optional(),
 * });
 * const ok: z.output<typeof schema> = { video: "/x/a.mp4", name: "a.mp4" };
 * const paths = new SharedPaths("/tmp/sp-example");
 * const bad = await withSharedPaths(paths, () => schema.safeParseAsync({ video: "a.avi", name: "b" }));
 * if (bad.success || bad.error.issues[0]?.message !== "must be an .mp4 file") throw new Error();
 * if (ok.parts !== undefined) throw new Error();
 * ```
 */
export interface FieldSchema<Output = string, Input = string> extends JobSchema<Output, Input> {
  /** zod's type slot (type level only). */
  readonly _zod: FieldTypes<Output, Input>;
  /**
   * The same field, but it may be omitted (`run` then gets `undefined`).
   * @returns zod's optional wrapper.
   */
  optional(): OptionalFieldSchema<Output, Input>;
  /**
   * Adds a check; a falsy result fails the request with 400 and `params`' message.
   * @param check Receives the parsed value (for a path: the real path).
   * @param params The message, or `{ error, path, abort }`.
   * @returns The field with the check.
   */
  refine(
    check: (value: Output) => unknown | Promise<unknown>,
    params?: string | RefineParams,
  ): this;
  /**
   * Adds a check that reports its own issues (`ctx.addIssue`), possibly several.
   * @param refinement Receives the parsed value and the context.
   * @returns The field with the check.
   */
  superRefine(refinement: (value: Output, ctx: RefinementContext) => void | Promise<void>): this;
  /**
   * Maps the parsed value; `run` receives the result.
   * @param fn Receives the parsed value and the context (to report issues).
   * @returns A field whose output is what `fn` returns.
   */
  transform<T>(
    fn: (value: Output, ctx: RefinementContext) => T | Promise<T>,
  ): FieldSchema<Awaited<T>, Input>;
  /**
   * Parses the value further with another schema, e.g. `z.string().endsWith(".mp4")`.
   * @param schema A zod schema accepting this field's output.
   * @returns A field whose output is `schema`'s output.
   */
  pipe<S extends JobSchema<unknown, Output>>(schema: S): FieldSchema<SchemaOutput<S>, Input>;
  /**
   * A list of such values, each parsed (and, for paths, resolved and checked) on its own.
   * @returns zod's array of this field.
   */
  array(): FieldSchema<Output[], Input[]>;
  /**
   * Sets the description shown in OpenAPI.
   * @param description One line.
   * @returns The described field.
   */
  describe(description: string): this;
}

/** A field that may be omitted: `.optional()` of a {@linkcode FieldSchema}. */
export interface OptionalFieldSchema<Output = string, Input = string>
  extends JobSchema<Output | undefined, Input | undefined> {
  /** zod's type slot (type level only): an optional field. */
  readonly _zod: FieldTypes<Output | undefined, Input | undefined> & {
    readonly optin: "optional";
    readonly optout: "optional";
  };
}

/**
 * What `sharedPath()` returns: a field whose output is the checked real path. Use it in
 * `z.object({...})`, with the methods of {@linkcode FieldSchema} for further checks. Not
 * `.default(...)` (zod would skip the path resolution): give `sharedPath({ default })`.
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
export type SharedPathSchema = FieldSchema<string, string>;

/** `sharedPath().optional()`: a shared path field that may be omitted. */
export type OptionalSharedPathSchema = OptionalFieldSchema<string, string>;
