/**
 * `sharedPath()`: a zod schema for a file path in a job input, resolved and confined to the
 * shared directory while the kit validates the request.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { z } from "zod";
import type { SharedPathSchema } from "./field_schema.ts";
import { SharedPathError, type SharedPaths } from "./shared_paths.ts";

const current = new AsyncLocalStorage<SharedPaths>();

/** Options of {@linkcode sharedPath}. */
export interface SharedPathOptions {
  /** Require the path to exist (400 `does not exist` otherwise). */
  mustExist?: boolean;
  /** Require a regular file or a directory when it exists. */
  kind?: "file" | "dir";
  /** Default when the field is omitted (resolved like a given value). */
  default?: string;
  /** Description for OpenAPI. */
  description?: string;
}

/**
 * A zod schema for a path inside the shared directory. The client writes it as in the pod
 * (`/shared/input/a.mp4`) or relative to it; `run` receives the checked **real** path.
 * Must be parsed with `parseAsync` inside {@linkcode withSharedPaths} (the kit does this).
 * Use it as a field of `z.object({...})`, optionally with `optional`, `refine`, `superRefine`,
 * `transform`, `pipe`, `array` or `describe` (see `FieldSchema`; they see the real path); for a
 * default, give `default` here (zod's `.default` would skip the resolution).
 *
 * @param options `mustExist`, `kind`, `default`, `description`.
 * @returns A zod string schema whose output is the real path.
 * @example
 * ```ts
 * import { SharedPaths, sharedPath, withSharedPaths } from "@tntc/sidecar-kit";
 * import { z } from "zod";
 * const schema = z.object({ input: sharedPath() });
 * const paths = new SharedPaths("/tmp/no-such-shared-dir");
 * const out = await withSharedPaths(paths, () => schema.parseAsync({ input: "/shared/in/a.txt" }));
 * if (out.input !== "/tmp/no-such-shared-dir/in/a.txt") throw new Error(out.input);
 * const bad = await withSharedPaths(paths, () => schema.safeParseAsync({ input: "/etc/passwd" }));
 * if (bad.success) throw new Error("escapes must fail");
 * ```
 */
export function sharedPath(options: SharedPathOptions = {}): SharedPathSchema {
  const base = z.string().meta({
    description: options.description ?? "Path inside the shared directory, e.g. /shared/input/a",
    "x-shared-path": true,
  }).transform(async (value, ctx) => {
    const paths = current.getStore();
    if (!paths) {
      ctx.addIssue({ code: "custom", message: "sharedPath() used outside withSharedPaths()" });
      return z.NEVER;
    }
    try {
      return await paths.resolve(value, {
        ...(options.mustExist ? { mustExist: true } : {}),
        ...(options.kind ? { kind: options.kind } : {}),
      });
    } catch (e) {
      if (!(e instanceof SharedPathError)) throw e;
      ctx.addIssue({ code: "custom", message: e.message, input: value });
      return z.NEVER;
    }
  });
  // `.prefault` (not `.default`) so the default goes through the same resolution.
  // The public type is structural (see schema.ts); the value is the real zod schema.
  const schema = options.default === undefined ? base : base.prefault(options.default);
  return schema as unknown as SharedPathSchema;
}

/**
 * Runs `fn` with `paths` as the resolver for every {@linkcode sharedPath} parsed inside it.
 * @param paths The shared-directory helpers.
 * @param fn Work that parses schemas (may be async).
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { SharedPaths, withSharedPaths } from "@tntc/sidecar-kit";
 * const n = await withSharedPaths(new SharedPaths("/tmp/x"), async () => 1);
 * if (n !== 1) throw new Error();
 * ```
 */
export function withSharedPaths<T>(paths: SharedPaths, fn: () => T): T {
  return current.run(paths, fn);
}
