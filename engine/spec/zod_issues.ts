import type { z } from "zod";
import type { SpecIssueDraft } from "./_draft.ts";
import { formatPath, type SpecPath } from "./errors.ts";
import { closest } from "./suggest.ts";
import { DURATION_HELP } from "./duration.ts";

/** Fields whose value is a duration string (`config.timeout`, a node's `timeout`, ...). */
const DURATION_KEYS = new Set(["timeout", "runTimeout"]);

// deno-lint-ignore no-explicit-any
type AnySchema = any;

/**
 * Turns zod issues into workflow issues that name the field, say what is wrong and what is
 * allowed. Unknown keys become one issue per key, pointing at the key, with a "did you mean".
 *
 * @param issues The zod issues from `safeParse`.
 * @param schema The root schema, used to list the fields allowed where a key is unknown.
 * @param data The raw document, used to show offending values.
 * @param sourceText Gives a scalar's source text (to suggest how to quote it).
 * @returns Draft issues.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  data: unknown,
  sourceText: (path: SpecPath) => string | undefined,
): SpecIssueDraft[] {
  const out: SpecIssueDraft[] = [];
  for (const issue of issues) {
    const path = issue.path as SpecPath;
    const where = formatPath(path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeys(schema, path, data);
        for (const key of issue.keys) {
          const hint = closest(key, allowed);
          const scope = path.length === 0 ? "at the top level" : `in ${where}`;
          out.push({
            path: [...path, key],
            atKey: true,
            message: `unknown field "${key}" ${scope}` +
              (hint ? `: did you mean "${hint}"?` : ` (allowed: ${allowed.join(", ")})`),
          });
        }
        break;
      }
      case "invalid_type": {
        const value = valueAt(data, path);
        if (value === undefined) {
          const parent = path.slice(0, -1);
          const label = parent.length === 0 ? "the workflow" : formatPath(parent);
          out.push({ path, message: `${label}: missing required field "${String(path.at(-1))}"` });
          break;
        }
        if (issue.expected === "int" && typeof value === "number") {
          out.push({ path, message: `${where}: must be a whole number, got ${value}` });
          break;
        }
        const text = sourceText(path);
        const key = String(path.at(-1));
        const quote = issue.expected !== "string" || text === undefined
          ? ""
          : !DURATION_KEYS.has(key) || typeof value !== "number"
          ? `; quote it: ${key}: "${text}"`
          : Number.isInteger(value) && value > 0
          ? `; write a duration: ${key}: "${text}s" (${DURATION_HELP})`
          : `; write ${DURATION_HELP}`;
        out.push({
          path,
          message: `${where}: expected ${article(issue.expected)}, got ${describe(value)}${quote}`,
        });
        break;
      }
      case "invalid_value":
        out.push({
          path,
          message: `${where}: ${describe(valueAt(data, path))} is not allowed (allowed: ${
            issue.values.map((v) => JSON.stringify(v)).join(", ")
          })`,
        });
        break;
      case "invalid_union": {
        const options = (issue as { options?: unknown[] }).options;
        if (options) {
          const value = valueAt(data, path);
          out.push({
            path,
            message: value === undefined
              ? `${formatPath(path.slice(0, -1))}: missing required field "type" (allowed: ${
                options.join(", ")
              })`
              : `${where}: unknown type ${describe(value)} (allowed: ${options.join(", ")})`,
          });
        } else {
          out.push({ path, message: `${where}: ${issue.message}` });
        }
        break;
      }
      default:
        out.push({ path, message: `${where}: ${issue.message}` });
    }
  }
  return out;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let cur = data;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[part];
  }
  return cur;
}

/** Lists the keys the schema allows for the object at `path` (for "did you mean"). */
function allowedKeys(schema: AnySchema, path: SpecPath, data: unknown): string[] {
  let s = unwrap(schema);
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (s.def.type === "object") s = unwrap(s.shape[part]);
    else if (s.def.type === "array") s = unwrap(s.element);
    else if (s.def.type === "record") s = unwrap(s.valueType);
    else return [];
    if (s?.def.type === "union") s = pickOption(s, valueAt(data, path.slice(0, i + 1)));
    if (!s) return [];
  }
  return s.def.type === "object" ? Object.keys(s.shape) : [];
}

function pickOption(union: AnySchema, value: unknown): AnySchema {
  const type = (value as { type?: unknown } | undefined)?.type;
  return union.options.find((o: AnySchema) => o.shape?.type?.def?.values?.includes(type));
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (s && ["optional", "default", "nullable", "pipe"].includes(s.def.type)) {
    s = s.def.type === "pipe" ? s.def.in : s.def.innerType;
  }
  return s;
}
