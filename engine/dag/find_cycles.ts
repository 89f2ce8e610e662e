import type { Edge } from "./compile.ts";

/**
 * Finds one cycle in every strongly connected component that has one, deterministically:
 * components are ordered by their first node in declaration order, and each cycle starts at
 * that node and follows edges in declaration order. Self-loops are included as `[a, a]`.
 * Iterative (Tarjan), so deep graphs cannot overflow the stack.
 *
 * @param nodes Node names in declaration order.
 * @param edges Edges; those naming unknown nodes are ignored.
 * @returns Cycles as paths with the first node repeated at the end, e.g. `["a", "b", "a"]`.
 * @example
 * ```ts
 * import { findCycles } from "./find_cycles.ts";
 * const cycles = findCycles(["a", "b", "c"], [
 *   { from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" },
 * ]);
 * console.assert(cycles[0]!.join(" → ") === "a → b → c → a");
 * ```
 */
export function findCycles(nodes: readonly string[], edges: readonly Edge[]): string[][] {
  const index = new Map(nodes.map((n, i) => [n, i]));
  const out: number[][] = nodes.map(() => []);
  for (const { from, to } of edges) {
    const f = index.get(from);
    const t = index.get(to);
    if (f !== undefined && t !== undefined) out[f]!.push(t);
  }
  const component = stronglyConnected(out);
  const cycles: string[][] = [];
  const done = new Set<number>();
  for (let start = 0; start < nodes.length; start++) {
    const comp = component[start]!;
    if (done.has(comp)) continue;
    done.add(comp);
    const path = cycleFrom(start, out, (v) => component[v] === comp);
    if (path) cycles.push(path.map((i) => nodes[i]!));
  }
  return cycles;
}

/** Depth-first search from `start` back to `start`, staying inside one component. */
function cycleFrom(
  start: number,
  out: number[][],
  inside: (v: number) => boolean,
): number[] | undefined {
  const path = [start];
  const next = [0];
  const visited = new Set([start]);
  while (path.length > 0) {
    const v = path[path.length - 1]!;
    const i = next[next.length - 1]!;
    const targets = out[v]!;
    if (i >= targets.length) {
      path.pop();
      next.pop();
      continue;
    }
    next[next.length - 1] = i + 1;
    const w = targets[i]!;
    if (w === start) return [...path, start];
    if (!visited.has(w) && inside(w)) {
      visited.add(w);
      path.push(w);
      next.push(0);
    }
  }
  return undefined;
}

/** Tarjan's algorithm, iterative. Returns the component id of each vertex. */
function stronglyConnected(out: number[][]): number[] {
  const n = out.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  const onStack = new Array<boolean>(n).fill(false);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0 && order[v] === -1) {
        order[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      if (i < out[v]!.length) {
        frame[1] = i + 1;
        const w = out[v]![i]!;
        if (order[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[v]!);
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}
