import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { problems } from "./_test_util.ts";

Deno.test("validate reports YAML syntax errors with line and column", async () => {
  assertEquals(await problems("name: demo\nnodes:\n  a: [1, 2\n  b: 3\n"), [
    "4:3: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]);
  assertEquals(await problems("name: demo\n\tversion: 1\n"), [
    "2:1: Tabs are not allowed as indentation",
  ]);
});

Deno.test("validate rejects a document whose root is not a mapping", async () => {
  const expected = (what: string) => [
    `1:1: the document must be a mapping of workflow fields (name, nodes, ...), but it is ${what}`,
  ];
  assertEquals(await problems("- a\n- b\n"), expected("a list"));
  assertEquals(await problems("hello\n"), expected("a string"));
  assertEquals(await problems(""), expected("empty"));
});

Deno.test("validate rejects duplicate keys", async () => {
  assertEquals(await problems('name: a\nversion: "1"\nname: b\n'), [
    "3:1: duplicate key: each key may appear only once in a mapping",
  ]);
});

Deno.test("validate refuses an alias bomb instead of expanding it", async () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i <= 8; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(",")}]`);
  }
  assertEquals(await problems(lines.join("\n") + "\n"), [
    "1:1: too many alias expansions (limit 100): the document looks like an alias bomb",
  ]);
});

Deno.test("validate reports a value nested too deeply to parse, where it is", async () => {
  const deep = "[".repeat(5_000) + "]".repeat(5_000);
  const [problem, ...rest] = await problems(`name: demo\ninput: ${deep}\n`);
  assertEquals(rest, []);
  assertEquals(
    /^2:\d+: the value here nests too deeply to parse$/.test(problem ?? ""),
    true,
    problem,
  );
});

Deno.test("validate refuses files over 1 MiB before parsing them", async () => {
  const big = `name: demo\ndescription: "${"x".repeat(1024 * 1024)}"\n`;
  assertEquals(await problems(big), [
    `1:1: file is ${big.length} bytes; the limit is 1048576 bytes (1 MiB)`,
  ]);
});
