import assert from "node:assert/strict";
import { jsonDataProblem, MAX_JSON_DEPTH } from "./json_data.ts";

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

Deno.test("jsonDataProblem accepts JSON data, Dates and instances of the code's own classes", () => {
  class Point {
    constructor(readonly x: number, readonly y: number) {}
  }
  const shared = { s: 1 };
  const values = [
    null,
    undefined,
    0,
    -1.5,
    "",
    true,
    [],
    {},
    { a: [1, "x", null, { b: false }], missing: undefined },
    Object.create(null),
    new Point(1, 2),
    new Date(0),
    { a: shared, b: shared }, // shared, not cyclic
    nested(MAX_JSON_DEPTH),
  ];
  values.forEach((ok, i) => assert.equal(jsonDataProblem(ok, "output"), null, `value ${i}`));
});

class Money {
  #cents: number;
  constructor(cents: number) {
    this.#cents = cents;
  }
  toJSON(): string {
    return `${this.#cents / 100} EUR`;
  }
}

Deno.test("jsonDataProblem names the path and what JSON cannot hold there, with what to do", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const cases: [unknown, string][] = [
    [() => 1, "output is a function, which JSON cannot hold"],
    [{ f: { g: [0, Symbol("s")] } }, "output.f.g[1] is a symbol, which JSON cannot hold"],
    [
      { n: 10n },
      "output.n is a bigint, which JSON cannot hold; convert it to a string or a number",
    ],
    [
      { "a b": new Map() },
      'output["a b"] is a Map, which JSON cannot hold; use an object or an array of [key, value] pairs',
    ],
    [[new Set([1])], "output[0] is a Set, which JSON cannot hold; use an array"],
    [
      { e: new TypeError("x") },
      "output.e is a TypeError, which JSON cannot hold; return its message",
    ],
    [
      { bytes: new Uint8Array(2) },
      "output.bytes is a Uint8Array, which JSON cannot hold; base64-encode the bytes, or write them under /shared and pass the path",
    ],
    [{ p: Promise.resolve(1) }, "output.p is a Promise, which JSON cannot hold; await it"],
    [
      { buf: new ArrayBuffer(1) },
      "output.buf is an ArrayBuffer, which JSON cannot hold; base64-encode the bytes, or write them under /shared and pass the path",
    ],
    [cyclic, "output.self.back refers back to itself (a cycle)"],
    [{ avg: NaN }, "output.avg is NaN, which JSON cannot hold (it would become null)"],
    [[-Infinity], "output[0] is -Infinity, which JSON cannot hold (it would become null)"],
    [
      { at: new Date(NaN) },
      "output.at is an invalid Date, which JSON cannot hold (it would become null)",
    ],
    [
      { u: new URL("http://x/") },
      "output.u is a URL, which JSON cannot hold; return plain data (objects, arrays, strings, numbers, booleans, null)",
    ],
    [
      { b: new Blob(["x"]) },
      "output.b is a Blob, which JSON cannot hold; return plain data (objects, arrays, strings, numbers, booleans, null)",
    ],
    [
      { price: new Money(150) },
      "output.price is a Money with toJSON(), which is not called on the way out of a sandbox; return the value of its toJSON() instead",
    ],
    [{
      g: {
        get boom() {
          throw new Error("no");
        },
      },
    }, "output.g.boom could not be read: no"],
    [
      nested(MAX_JSON_DEPTH + 1),
      `output[0][0][0][0]…[0][0][0][0] nests deeper than ${MAX_JSON_DEPTH} levels`,
    ],
  ];
  for (const [value, expected] of cases) assert.equal(jsonDataProblem(value, "output"), expected);
});

Deno.test("jsonDataProblem takes the root name and a depth limit", () => {
  assert.equal(jsonDataProblem({ a: { b: 1 } }, "input", 1), "input.a nests deeper than 1 level");
  assert.equal(jsonDataProblem({ a: 1 }, "input", 1), null);
  // 5,000 levels is far past the limit and still answered without a stack overflow.
  assert.match(jsonDataProblem(nested(5_000), "input") ?? "", /nests deeper than 512 levels$/);
});

Deno.test("jsonDataProblem walks a subtree shared by many paths once, not once per path", () => {
  // 60 levels of [x, x]: 2^60 paths, 61 distinct arrays.
  let shared: unknown = { leaf: true };
  for (let i = 0; i < 60; i++) shared = [shared, shared];
  const started = performance.now();
  assert.equal(jsonDataProblem(shared, "output"), null);
  assert.ok(performance.now() - started < 1_000, "checked in well under a second");
  // The depth still counts along every path: the same tree under 460 more levels is too deep.
  let deep: unknown = shared;
  for (let i = 0; i < 460; i++) deep = [deep];
  assert.match(jsonDataProblem(deep, "output") ?? "", /nests deeper than 512 levels$/);
});
