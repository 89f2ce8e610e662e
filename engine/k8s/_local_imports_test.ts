import { deepStrictEqual } from "node:assert/strict";
import { localImports } from "./_local_imports.ts";

Deno.test("localImports() finds static, re-export, side-effect, type and dynamic relative imports", () => {
  const source = [
    'import run from "./a.ts";',
    "import { x,",
    "  y } from '../lib/b.ts';",
    'import type { T } from "./types.ts";',
    'export * from "./c.mjs";',
    'import "./side.ts";',
    'const lazy = await import("./lazy.ts");',
    'import data from "./d.json" with { type: "json" };',
    'import { z } from "zod";',
    'import { w } from "npm:hono";',
    'const url = "./not-an-import.ts";',
    'import again from "./a.ts";',
  ].join("\n");
  deepStrictEqual(localImports(source), [
    "./a.ts",
    "../lib/b.ts",
    "./types.ts",
    "./c.mjs",
    "./side.ts",
    "./lazy.ts",
    "./d.json",
  ]);
});

Deno.test("localImports() returns nothing for a module without relative imports", () => {
  deepStrictEqual(localImports('import { z } from "zod";\nexport default () => z;\n'), []);
});
