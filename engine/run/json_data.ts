/**
 * The deepest a run input or a node output may nest. JSON itself has no limit, but Deno's
 * structured clone (how values cross into and out of a sandbox) recurses and overflows the
 * stack a few thousand levels down; real data rarely nests 20 deep.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * Parses the JSON text of a run input (HTTP body, `tntc run --input`, `--once` stdin). Empty or
 * all-whitespace text means "no input": `{}`.
 *
 * @param text The JSON text.
 * @param name What to call the text in errors (default `"input"`).
 * @returns The input.
 * @throws {SyntaxError} `<name> is not valid JSON: <the parser's reason>`, or `<name>[0]… nests
 *   deeper than 512 levels` (such input could not be handed to a sandbox).
 * @example
 * ```ts
 * import { parseRunInput } from "./json_data.ts";
 * console.assert((parseRunInput('{"a":1}') as { a: number }).a === 1);
 * console.assert(JSON.stringify(parseRunInput("  ")) === "{}");
 * ```
 */
export function parseRunInput(text: string, name = "input"): unknown {
  if (text.trim() === "") return {};
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  const problem = jsonDataProblem(input, name);
  if (problem !== null) throw new SyntaxError(problem);
  return input;
}

/** Built-ins that JSON turns into `{}` or loses silently, with what to use instead. */
const LOSSY: [type: { prototype: object; name: string }, hint: string][] = [
  [Map, "use an object or an array of [key, value] pairs"],
  [Set, "use an array"],
  [WeakMap, "use an object"],
  [WeakSet, "use an array"],
  [Promise, "await it"],
  [Error, "return its message"],
  [RegExp, "return its source text"],
  [ArrayBuffer, "base64-encode the bytes, or write them under /shared and pass the path"],
  [DataView, "base64-encode the bytes, or write them under /shared and pass the path"],
];

/**
 * Why `value` is not JSON data that survives the run result unchanged, or `null` when it is:
 * `null`, booleans, numbers, strings, arrays and plain or class objects of those (`undefined`
 * members are dropped, as JSON does), and objects with a `toJSON()` method such as `Date`. The
 * problem names the path and what is there: a function, symbol or bigint; a `Map`, `Set`,
 * typed array, `Error` and other built-ins JSON would empty; a cycle; nesting deeper than
 * `maxDepth`.
 *
 * @param value The value to check.
 * @param root How the path starts, e.g. `"output"`.
 * @param maxDepth The deepest nesting allowed (default {@linkcode MAX_JSON_DEPTH}).
 * @returns The problem, or `null`.
 * @example
 * ```ts
 * import { jsonDataProblem } from "./json_data.ts";
 * console.assert(jsonDataProblem({ a: [1, "x", null], at: new Date() }, "output") === null);
 * console.assert(
 *   jsonDataProblem({ a: [1, () => 2] }, "output") ===
 *     "output.a[1] is a function, which JSON cannot hold",
 * );
 * ```
 */
export function jsonDataProblem(
  value: unknown,
  root: string,
  maxDepth: number = MAX_JSON_DEPTH,
): string | null {
  if (value === null || typeof value !== "object" && typeof value !== "function") {
    if (typeof value !== "symbol" && typeof value !== "bigint") return null;
  }
  const found = problemAt(value, 0, { ancestors: new Set(), maxDepth });
  return found === null ? null : `${root}${formatPath(found.path)} ${found.what}`;
}

interface Walk {
  /** The objects being walked from the root down to here (a cycle comes back to one). */
  ancestors: Set<object>;
  maxDepth: number;
}

function problemAt(at: unknown, depth: number, walk: Walk): Problem | null {
  switch (typeof at) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return null;
    case "function":
    case "symbol":
    case "bigint": {
      const hint = typeof at === "bigint" ? "; convert it to a string or a number" : "";
      return { path: [], what: `is a ${typeof at}, which JSON cannot hold${hint}` };
    }
  }
  if (at === null) return null;
  const object = at as object;
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    // Not plain data: Date and the like serialise themselves; built-ins JSON empties do not.
    if (typeof (object as { toJSON?: unknown }).toJSON === "function") return null;
    const lossy = lossyBuiltIn(object);
    if (lossy !== null) return { path: [], what: lossy };
  }
  if (walk.ancestors.has(object)) return { path: [], what: "refers back to itself (a cycle)" };
  if (depth >= walk.maxDepth) {
    const levels = `${walk.maxDepth} level${walk.maxDepth === 1 ? "" : "s"}`;
    return { path: [], what: `nests deeper than ${levels}` };
  }
  walk.ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const found = problemAt(object[i], depth + 1, walk);
        if (found) return (found.path.push(i), found);
      }
    } else {
      for (const key in object) {
        if (!Object.hasOwn(object, key)) continue;
        const found = problemAt((object as Record<string, unknown>)[key], depth + 1, walk);
        if (found) return (found.path.push(key), found);
      }
    }
    return null;
  } finally {
    walk.ancestors.delete(object);
  }
}

interface Problem {
  /** Keys from the innermost outwards. */
  path: (string | number)[];
  what: string;
}

function lossyBuiltIn(object: object): string | null {
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    const name = object.constructor.name;
    return `is a ${name}, which JSON cannot hold; base64-encode the bytes, or write them ` +
      "under /shared and pass the path";
  }
  for (const [type, hint] of LOSSY) {
    if (object instanceof (type as unknown as new () => object)) {
      const name = type === Error ? (object as Error).name : type.name;
      return `is a${/^[AEIOU]/.test(name) ? "n" : ""} ${name}, which JSON cannot hold; ${hint}`;
    }
  }
  return null;
}

/** `.a[0]["b c"]` from keys innermost first; past 10 keys, the middle ones become `…`. */
function formatPath(path: (string | number)[]): string {
  const keys = path.toReversed().map((key) =>
    typeof key === "number"
      ? `[${key}]`
      : /^[A-Za-z_$][\w$]*$/.test(key)
      ? `.${key}`
      : `[${JSON.stringify(key)}]`
  );
  if (keys.length > 10) keys.splice(4, keys.length - 8, "…");
  return keys.join("");
}
