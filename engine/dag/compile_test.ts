import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { compile } from "./compile.ts";
import { CycleError } from "./cycle_error.ts";
import { findCycles } from "./find_cycles.ts";

Deno.test("compile() orders parents before children and groups stages by depth", () => {
  const g = compile(["d", "c", "b", "a"], [
    { from: "a", to: "b" },
    { from: "a", to: "c" },
    { from: "b", to: "d" },
    { from: "c", to: "d" },
  ]);
  assertEquals(g.order, ["a", "c", "b", "d"]);
  assertEquals(g.stages, [["a"], ["c", "b"], ["d"]]);
  assertEquals(g.parents.get("d"), ["b", "c"]);
  assertEquals(g.children.get("a"), ["b", "c"]);
});

Deno.test("compile() puts unconnected nodes in the first stage in declaration order", () => {
  assertEquals(compile(["x", "y", "z"], []).stages, [["x", "y", "z"]]);
});

Deno.test("compile() rejects a cycle and names its path", () => {
  throws(
    () =>
      compile(["a", "b", "c"], [{ from: "a", to: "b" }, { from: "b", to: "c" }, {
        from: "c",
        to: "b",
      }]),
    (err: unknown) => err instanceof CycleError && err.message === "cycle detected: b → c → b",
  );
});

Deno.test("compile() rejects an edge naming an unknown node", () => {
  throws(
    () => compile(["a"], [{ from: "a", to: "zz" }]),
    new RangeError('edge to unknown node "zz"'),
  );
});

Deno.test("findCycles() finds one cycle per strongly connected component", () => {
  const cycles = findCycles(["a", "b", "c", "d", "e"], [
    { from: "a", to: "b" },
    { from: "b", to: "a" },
    { from: "c", to: "d" },
    { from: "d", to: "e" },
    { from: "e", to: "c" },
    { from: "b", to: "c" },
  ]);
  assertEquals(cycles, [["a", "b", "a"], ["c", "d", "e", "c"]]);
});

Deno.test("compile() handles a 100,000-node chain without overflowing the stack", () => {
  const n = 100_000;
  const nodes = Array.from({ length: n }, (_, i) => `n${i}`);
  const edges = nodes.slice(1).map((to, i) => ({ from: nodes[i]!, to }));
  assertEquals(compile(nodes, edges).order.length, n);
  const back = [...edges, { from: nodes[n - 1]!, to: nodes[0]! }];
  assertEquals(findCycles(nodes, back)[0]?.length, n + 1);
});
