import { CycleError } from "./cycle_error.ts";
import { findCycles } from "./find_cycles.ts";

/** An edge of the workflow graph. */
export interface Edge {
  /** The parent node. */
  from: string;
  /** The child node, which runs after `from`. */
  to: string;
}

/** A workflow graph ready to run: order, stages and adjacency. */
export interface CompiledGraph {
  /** Node names in declaration order. */
  nodes: string[];
  /** A topological order (parents before children), deterministic. */
  order: string[];
  /** Nodes grouped by depth: stage 0 has no parents; for display, not scheduling. */
  stages: string[][];
  /** Parents of each node, in edge declaration order. */
  parents: Map<string, string[]>;
  /** Children of each node, in edge declaration order. */
  children: Map<string, string[]>;
}

/**
 * Compiles nodes and edges into a topological order and display stages in O(V + E)
 * (plus sorting each stage by declaration order).
 *
 * @param nodes Node names, in declaration order.
 * @param edges Edges between them; they must name known nodes.
 * @returns The compiled graph.
 * @throws {CycleError} When the graph has a cycle (the first one found, deterministically).
 * @throws {RangeError} When an edge names an unknown node.
 * @example
 * ```ts
 * import { compile } from "./compile.ts";
 * const g = compile(["a", "b", "c"], [{ from: "a", to: "b" }, { from: "a", to: "c" }]);
 * console.assert(JSON.stringify(g.stages) === '[["a"],["b","c"]]');
 * ```
 */
export function compile(nodes: readonly string[], edges: readonly Edge[]): CompiledGraph {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const parents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const children = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const indegree = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (const { from, to } of edges) {
    if (!index.has(from)) throw new RangeError(`edge from unknown node "${from}"`);
    if (!index.has(to)) throw new RangeError(`edge to unknown node "${to}"`);
    children.get(from)!.push(to);
    parents.get(to)!.push(from);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const byIndex = (a: string, b: string) => index.get(a)! - index.get(b)!;
  const order: string[] = [];
  const stages: string[][] = [];
  let stage = nodes.filter((n) => indegree.get(n) === 0);
  while (stage.length > 0) {
    stages.push(stage);
    order.push(...stage);
    const next: string[] = [];
    for (const node of stage) {
      for (const child of children.get(node)!) {
        const left = indegree.get(child)! - 1;
        indegree.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    stage = next.sort(byIndex);
  }
  if (order.length < nodes.length) {
    const [cycle] = findCycles(nodes, edges);
    throw new CycleError(cycle ?? []);
  }
  return { nodes: [...nodes], order, stages, parents, children };
}
