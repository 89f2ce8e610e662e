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
];

/** What to do with bytes (an `ArrayBuffer`, a typed array, a `DataView`) instead. */
const BYTES_HINT = "base64-encode the bytes, or write them under /shared and pass the path";

/**
 * Why `value` is not JSON data that survives the run result unchanged, or `null` when it is:
 * `null`, booleans, finite numbers, strings, `Date`s, arrays, and plain objects or instances
 * of the code's own classes holding those (`undefined` members are dropped, as JSON does).
 * The problem names the path and what is there: a function, symbol, bigint or non-finite
 * number; a `Map`, `Set`, typed array, `Error`, `URL`, `Blob` or other built-in object that
 * JSON would empty; an own class with `toJSON()` (outputs leave a sandbox by structured clone,
 * which does not call it); a getter that throws; a cycle; nesting deeper than `maxDepth`.
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
  // Only objects touch the walk's collections: a primitive needs no fresh ones.
  const walk: Walk = value !== null && typeof value === "object"
    ? { ancestors: new Set(), checked: new WeakMap(), maxDepth }
    : PRIMITIVE_WALK;
  const found = problemAt(value, 0, walk);
  return found === null ? null : `${root}${formatPath(found.path)} ${found.what}`;
}

const PRIMITIVE_WALK: Walk = { ancestors: new Set(), checked: new WeakMap(), maxDepth: 0 };

interface Walk {
  /** The objects being walked from the root down to here (a cycle comes back to one). */
  ancestors: Set<object>;
  /**
   * Objects already found fine, with the depth they were found at: met again at that depth or
   * nearer the root, they need no second walk (a shared subtree would otherwise be walked once
   * per path to it, exponentially many in the worst case).
   */
  checked: WeakMap<object, number>;
  maxDepth: number;
}

function problemAt(at: unknown, depth: number, walk: Walk): Problem | null {
  switch (typeof at) {
    case "string":
    case "boolean":
    case "undefined":
      return null;
    case "number":
      return Number.isFinite(at)
        ? null
        : { path: [], what: `is ${at}, which JSON cannot hold (it would become null)` };
    case "function":
    case "symbol":
    case "bigint": {
      const hint = typeof at === "bigint" ? "; convert it to a string or a number" : "";
      return { path: [], what: `is a ${typeof at}, which JSON cannot hold${hint}` };
    }
  }
  if (at === null) return null;
  const object = at as object;
  if ((walk.checked.get(object) ?? -1) >= depth) return null;
  try {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
      if (object instanceof Date) {
        return Number.isNaN(object.getTime())
          ? { path: [], what: "is an invalid Date, which JSON cannot hold (it would become null)" }
          : null;
      }
      const problem = notPlainData(object);
      if (problem !== null) return { path: [], what: problem };
    }
    if (walk.ancestors.has(object)) return { path: [], what: "refers back to itself (a cycle)" };
    if (depth >= walk.maxDepth) {
      const levels = `${walk.maxDepth} level${walk.maxDepth === 1 ? "" : "s"}`;
      return { path: [], what: `nests deeper than ${levels}` };
    }
    walk.ancestors.add(object);
    try {
      const found = Array.isArray(object)
        ? itemsProblem(object, depth, walk)
        : membersProblem(object, depth, walk);
      if (found === null) walk.checked.set(object, depth);
      return found;
    } finally {
      walk.ancestors.delete(object);
    }
  } catch (error) {
    // A Proxy trap that throws (a getter that throws is caught where it is read).
    return { path: [], what: unreadable(error) };
  }
}

function itemsProblem(items: unknown[], depth: number, walk: Walk): Problem | null {
  for (let i = 0; i < items.length; i++) {
    const found = problemAt(items[i], depth + 1, walk);
    if (found) return (found.path.push(i), found);
  }
  return null;
}

function membersProblem(object: object, depth: number, walk: Walk): Problem | null {
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    let value: unknown;
    try {
      value = (object as Record<string, unknown>)[key];
    } catch (error) {
      return { path: [key], what: unreadable(error) };
    }
    const found = problemAt(value, depth + 1, walk);
    if (found) return (found.path.push(key), found);
  }
  return null;
}

/** What a getter or a Proxy trap that threw makes of a value. */
function unreadable(error: unknown): string {
  return `could not be read: ${(error as Error)?.message ?? error}`;
}

interface Problem {
  /** Keys from the innermost outwards. */
  path: (string | number)[];
  what: string;
}

/**
 * Why an object that is neither plain nor an array nor a `Date` is not data, or `null` for an
 * instance of the workflow's own class without `toJSON()` (its own fields are walked).
 */
function notPlainData(object: object): string | null {
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    const name = object.constructor.name;
    return `is ${article(name)} ${name}, which JSON cannot hold; ${BYTES_HINT}`;
  }
  for (const [type, hint] of LOSSY) {
    if (object instanceof (type as unknown as new () => object)) {
      const name = type === Error ? (object as Error).name : type.name;
      return `is ${article(name)} ${name}, which JSON cannot hold; ${hint}`;
    }
  }
  const ctor = (object as { constructor?: unknown }).constructor;
  const name = typeof ctor === "function" && ctor.name ? ctor.name : "object";
  if (typeof ctor === "function" && isBuiltIn(ctor)) {
    return `is ${article(name)} ${name}, which JSON cannot hold; return plain data ` +
      "(objects, arrays, strings, numbers, booleans, null)";
  }
  if (typeof (object as { toJSON?: unknown }).toJSON === "function") {
    return `is ${article(name)} ${name} with toJSON(), which is not called on the way out of ` +
      "a sandbox; return the value of its toJSON() instead";
  }
  return null;
}

/**
 * Whether `ctor` is the runtime's rather than the code's: native, or a global of its own name
 * (Deno writes `URL`, `Blob`, `Headers`, `Response`, streams and more in JavaScript).
 */
function isBuiltIn(ctor: { readonly name: string }): boolean {
  return (globalThis as Record<string, unknown>)[ctor.name] === ctor ||
    /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(ctor));
}

/** "an" before a name said with a vowel sound (a `URL`, a `Uint8Array`, an `Error`). */
function article(name: string): string {
  return /^[AEIO]/.test(name) ? "an" : "a";
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
