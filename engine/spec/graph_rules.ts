import { findCycles } from "../dag/find_cycles.ts";
import type { SpecIssueDraft } from "./_draft.ts";
import { closest } from "./suggest.ts";

/**
 * Checks `edges:` against `nodes:`: unknown node names, self-loops, duplicate edges and
 * cycles (each reported once with its full path, deterministically).
 *
 * @param nodes The raw `nodes` value.
 * @param edges The raw `edges` value.
 * @returns One draft issue per problem.
 */
export function checkGraph(nodes: unknown, edges: unknown): SpecIssueDraft[] {
  if (!Array.isArray(edges)) return [];
  const names = nodes !== null && typeof nodes === "object" && !Array.isArray(nodes)
    ? Object.keys(nodes)
    : [];
  const known = new Set(names);
  const issues: SpecIssueDraft[] = [];
  const seen = new Map<string, number>();
  const good: { from: string; to: string }[] = [];
  const firstEdgeIndex = new Map<string, number>();
  edges.forEach((edge, i) => {
    if (edge === null || typeof edge !== "object") return;
    const { from, to } = edge as { from?: unknown; to?: unknown };
    if (typeof from !== "string" || typeof to !== "string") return;
    let ok = true;
    for (const [field, name] of [["from", from], ["to", to]] as const) {
      if (known.has(name)) continue;
      ok = false;
      const hint = closest(name, names);
      issues.push({
        path: ["edges", i, field],
        message: `edges[${i}].${field}: unknown node "${name}"` +
          (hint ? ` (did you mean "${hint}"?)` : ` (nodes: ${names.join(", ") || "none"})`),
      });
    }
    if (!ok) return;
    if (from === to) {
      issues.push({
        path: ["edges", i],
        message: `edges[${i}]: self-loop: node "${from}" cannot depend on itself`,
      });
      return;
    }
    const key = `${from}\u0000${to}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: ["edges", i],
        message: `edges[${i}]: duplicate edge ${from} → ${to} (first declared at edges[${first}])`,
      });
      return;
    }
    seen.set(key, i);
    firstEdgeIndex.set(key, i);
    good.push({ from, to });
  });
  for (const cycle of findCycles(names, good)) {
    const key = `${cycle[0]}\u0000${cycle[1]}`;
    issues.push({
      path: ["edges", firstEdgeIndex.get(key) ?? 0],
      message: `cycle detected: ${cycle.join(" → ")}`,
    });
  }
  return issues;
}
