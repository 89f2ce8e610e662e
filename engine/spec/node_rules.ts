import type { SpecIssueDraft } from "./_draft.ts";
import { NODE_NAME } from "./schema.ts";
import { closest } from "./suggest.ts";

/** File system questions the node rules ask; injectable for tests. */
export interface NodeFileSystem {
  /** Resolves `relative` inside `dir` following symlinks; `undefined` when it does not exist. */
  realPath(dir: string, relative: string): string | undefined;
  /** The workflow directory itself, symlinks resolved. */
  realDir(dir: string): string;
}

const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"];

/**
 * Checks `nodes:`: names, `path` presence, extension, existence, confinement to the workflow
 * directory, and that `dependencies`/`sidecars` a node declares are declared by the workflow.
 *
 * @param data The raw document.
 * @param dir The workflow directory, or `undefined` to skip file checks.
 * @param fs File system access.
 * @returns One draft issue per problem.
 */
export function checkNodes(
  data: Record<string, unknown>,
  dir: string | undefined,
  fs: NodeFileSystem,
): SpecIssueDraft[] {
  const nodes = data.nodes;
  if (nodes === null || typeof nodes !== "object" || Array.isArray(nodes)) return [];
  const entries = Object.entries(nodes);
  if (entries.length === 0) {
    return [{ path: ["nodes"], message: "nodes: at least one node is required" }];
  }
  const deps = namesOf((data.contract as { dependencies?: unknown } | undefined)?.dependencies);
  const sidecars = Array.isArray(data.sidecars)
    ? data.sidecars.map((s) => (s as { name?: unknown })?.name).filter((n) => typeof n === "string")
    : [];
  const issues: SpecIssueDraft[] = [];
  for (const [name, node] of entries) {
    if (!NODE_NAME.test(name)) {
      issues.push({
        path: ["nodes", name],
        atKey: true,
        message: `node name "${name}" is invalid: must match [a-z][a-z0-9_-]*`,
      });
    }
    if (node === null || typeof node !== "object" || Array.isArray(node)) continue;
    const n = node as Record<string, unknown>;
    if (n.path === undefined) {
      issues.push({
        path: ["nodes", name, "path"],
        message: `node "${name}": path is required (e.g. path: ./nodes/${name}.ts)`,
      });
    } else if (typeof n.path === "string" && dir !== undefined) {
      issues.push(...checkNodePath(name, n.path, dir, fs));
    }
    issues.push(...checkRefs(name, "dependencies", n.dependencies, deps, "contract.dependencies"));
    issues.push(...checkRefs(name, "sidecars", n.sidecars, sidecars as string[], "sidecars"));
  }
  return issues;
}

function checkNodePath(
  name: string,
  path: string,
  dir: string,
  fs: NodeFileSystem,
): SpecIssueDraft[] {
  const at = ["nodes", name, "path"];
  if (!MODULE_EXTENSIONS.some((ext) => path.endsWith(ext))) {
    return [{
      path: at,
      message: `node "${name}": path "${path}" must be a module ending in ${
        MODULE_EXTENSIONS.join(", ")
      }`,
    }];
  }
  if (path.startsWith("/") || path.includes("\u0000")) {
    return [{
      path: at,
      message: `node "${name}": path "${path}" must be relative to the workflow directory`,
    }];
  }
  if (escapes(path)) {
    return [{
      path: at,
      message: `node "${name}": path "${path}" must stay inside the workflow directory`,
    }];
  }
  const real = fs.realPath(dir, path);
  if (real === undefined) {
    return [{ path: at, message: `node "${name}": file "${path}" does not exist` }];
  }
  const root = fs.realDir(dir);
  if (real !== root && !real.startsWith(root.endsWith("/") ? root : root + "/")) {
    return [{
      path: at,
      message: `node "${name}": path "${path}" must stay inside the workflow directory`,
    }];
  }
  return [];
}

function checkRefs(
  node: string,
  field: string,
  value: unknown,
  declared: string[],
  where: string,
): SpecIssueDraft[] {
  if (!Array.isArray(value)) return [];
  const issues: SpecIssueDraft[] = [];
  value.forEach((ref, i) => {
    if (typeof ref !== "string" || declared.includes(ref)) return;
    const hint = closest(ref, declared);
    issues.push({
      path: ["nodes", node, field, i],
      message: `node "${node}": ${field}[${i}] "${ref}" is not declared in ${where}` +
        (hint ? ` (did you mean "${hint}"?)` : ` (declared: ${declared.join(", ") || "none"})`),
    });
  });
  return issues;
}

/** True when a relative path climbs above its starting directory (before any symlinks). */
function escapes(path: string): boolean {
  let depth = 0;
  for (const part of path.split("/")) {
    if (part === "..") depth--;
    else if (part !== "." && part !== "") depth++;
    if (depth < 0) return true;
  }
  return false;
}

function namesOf(value: unknown): string[] {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.keys(value)
    : [];
}
