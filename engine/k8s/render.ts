import { isDeepStrictEqual } from "node:util";
import { Document, parse, visit } from "yaml";

/** Output formats of `tntc manifest -o`. */
export const OUTPUT_FORMATS = ["yaml", "json"] as const;
/** One of {@linkcode OUTPUT_FORMATS}. */
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/**
 * Renders objects for `kubectl apply -f -`: YAML documents separated by `---`, or one JSON
 * `List`. Every string stays a string under YAML 1.1 (kubectl's parser, where `yes`, `on` or
 * `0777` are not strings) and YAML 1.2 (where `0o17` is not): such strings are quoted, and
 * each document is checked to parse back, under both, as the object it was made from.
 *
 * @param objects The Kubernetes objects, in apply order.
 * @param format `yaml` (default) or `json`.
 * @returns The text, ending with a newline.
 * @throws {Error} Only on an internal fault: YAML that would not read back as the objects.
 * @example
 * ```ts
 * import { renderManifests } from "./render.ts";
 * const text = renderManifests([{ kind: "ConfigMap", data: { A: "yes" } }]);
 * console.assert(text.includes('A: "yes"'));
 * ```
 */
export function renderManifests(objects: readonly object[], format: OutputFormat = "yaml"): string {
  if (format === "json") {
    return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, 2) + "\n";
  }
  return objects.map((o) => yamlDocument(o)).join("---\n");
}

function yamlDocument(object: object): string {
  const plain = JSON.parse(JSON.stringify(object));
  const doc = new Document(plain, { version: "1.1", aliasDuplicateObjects: false });
  // YAML 1.1 rules quote `yes`, `0777`, ...; quote also what only YAML 1.2 reads as non-string.
  visit(doc, {
    Scalar(_key, node) {
      if (
        typeof node.value === "string" && !node.value.includes("\n") && !isPlainIn12(node.value)
      ) {
        node.type = "QUOTE_DOUBLE";
      }
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  if (!readsBackAs(text, plain)) {
    throw new Error("internal: YAML output does not read back as the object it was made from");
  }
  return text;
}

function isPlainIn12(value: string): boolean {
  try {
    return parse(value, { version: "1.2", logLevel: "silent" }) === value;
  } catch {
    return false;
  }
}

function readsBackAs(text: string, object: unknown): boolean {
  return (["1.1", "1.2"] as const).every((version) =>
    isDeepStrictEqual(parse(text, { version }), object)
  );
}
