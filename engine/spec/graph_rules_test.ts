import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { HEADER, problems } from "./_test_util.ts";

const NODES = ["a", "b", "c", "d"];
const files = Object.fromEntries(NODES.map((n) => [`nodes/${n}.ts`, "export default () => 1;\n"]));

function graph(edges: [string, string][]): string {
  // Lines: 1-2 header, 3 "nodes:", 4-11 nodes, 12 "edges:", edge i at 13 + 2i.
  const nodes = NODES.map((n) => `  ${n}:\n    path: ./nodes/${n}.ts\n`).join("");
  const list = edges.map(([f, t]) => `  - from: ${f}\n    to: ${t}\n`).join("");
  return `${HEADER}nodes:\n${nodes}edges:\n${list}`;
}

Deno.test("validate accepts an acyclic graph", async () => {
  assertEquals(await problems(graph([["a", "b"], ["a", "c"], ["b", "d"], ["c", "d"]]), files), [
    "ok",
  ]);
});

Deno.test("validate names unknown nodes in edges with a suggestion", async () => {
  assertEquals(await problems(graph([["a", "bb"], ["zzz", "c"]]), files), [
    '14:9: edges[0].to: unknown node "bb" (did you mean "b"?)',
    '15:11: edges[1].from: unknown node "zzz" (nodes: a, b, c, d)',
  ]);
});

Deno.test("validate rejects a self-loop", async () => {
  assertEquals(await problems(graph([["a", "b"], ["c", "c"]]), files), [
    '15:5: edges[1]: self-loop: node "c" cannot depend on itself',
  ]);
});

Deno.test("validate rejects a duplicate edge and says where the first one is", async () => {
  assertEquals(await problems(graph([["a", "b"], ["b", "c"], ["a", "b"]]), files), [
    "17:5: edges[2]: duplicate edge a → b (first declared at edges[0])",
  ]);
});

Deno.test("validate reports a cycle with its full path", async () => {
  assertEquals(await problems(graph([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]), files), [
    "13:5: cycle detected: a → b → c → a",
  ]);
});

Deno.test("validate reports every separate cycle, deterministically", async () => {
  const yaml = graph([["d", "c"], ["c", "d"], ["b", "a"], ["a", "b"]]);
  const first = await problems(yaml, files);
  assertEquals(
    first,
    ["19:5: cycle detected: a → b → a", "15:5: cycle detected: c → d → c"].sort(),
  );
  assertEquals(await problems(yaml, files), first);
});
