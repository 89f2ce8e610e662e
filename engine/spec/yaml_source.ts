import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { type SpecPath, WorkflowSyntaxError } from "./errors.ts";

/** Largest workflow.yaml accepted, in bytes. Real workflows are a few KiB. */
export const MAX_WORKFLOW_BYTES = 1024 * 1024;
/** Most alias expansions accepted; more indicates a "billion laughs" document. */
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML document that can say where each value came from. */
export interface YamlSource {
  /** The document as plain data. */
  data: unknown;
  /**
   * Finds the 1-based position for a path. With `key: true` the position is the key of the
   * entry (for "unknown field" issues); otherwise its value. Missing paths fall back to the
   * closest existing ancestor.
   */
  locate(path: SpecPath, options?: { key?: boolean }): { line: number; column: number };
  /** The source text of a scalar at `path`, e.g. `1.0` for `version: 1.0`. */
  sourceText(path: SpecPath): string | undefined;
}

/**
 * Parses YAML text into data plus positions.
 *
 * @param text The YAML source.
 * @returns The data and a position finder.
 * @throws {WorkflowSyntaxError} For syntax errors, duplicate keys, excessive aliases, files
 * over {@linkcode MAX_WORKFLOW_BYTES}, or a root that is not a mapping.
 * @example
 * ```ts
 * import { parseYamlSource } from "./yaml_source.ts";
 * const src = parseYamlSource("name: demo\nnodes:\n  a:\n    path: ./a.ts\n");
 * console.assert(src.locate(["nodes", "a", "path"]).line === 4);
 * ```
 */
export function parseYamlSource(text: string): YamlSource {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_WORKFLOW_BYTES) {
    throw new WorkflowSyntaxError(
      `file is ${bytes} bytes; the limit is ${MAX_WORKFLOW_BYTES} bytes (1 MiB)`,
      1,
      1,
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? { line: 1, col: 1 };
    const message = first.code === "DUPLICATE_KEY"
      ? "duplicate key: each key may appear only once in a mapping"
      : /Maximum call stack size exceeded/.test(first.message)
      ? "the value here nests too deeply to parse"
      : first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new WorkflowSyntaxError(message, pos.line, pos.col, { cause: first });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new WorkflowSyntaxError(
      `too many alias expansions (limit ${MAX_ALIAS_COUNT}): the document looks like an alias bomb`,
      1,
      1,
      { cause },
    );
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    const what = data === null || data === undefined
      ? "empty"
      : Array.isArray(data)
      ? "a list"
      : `a ${typeof data}`;
    throw new WorkflowSyntaxError(
      `the document must be a mapping of workflow fields (name, nodes, ...), but it is ${what}`,
      1,
      1,
    );
  }
  return {
    data,
    locate: (path, options) => toPosition(lines, findOffset(doc, path, options?.key ?? false)),
    sourceText: (path) => {
      const node = doc.getIn(path, true);
      if (!isScalar(node) || !node.range) return undefined;
      return text.slice(node.range[0], node.range[1]).trim();
    },
  };
}

function toPosition(lines: LineCounter, offset: number): { line: number; column: number } {
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function findOffset(doc: Document, path: SpecPath, key: boolean): number {
  let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) =>
        isPair(p) && isScalar(p.key) && String(p.key.value) === String(part)
      );
      if (!pair) return offset;
      const keyNode = pair.key as YamlNode;
      if (last && key) return keyNode.range?.[0] ?? offset;
      const value = pair.value as YamlNode | null;
      offset = value?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part] as YamlNode | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
