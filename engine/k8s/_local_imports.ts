const SPECIFIER = String.raw`["'](\.{1,2}/[^"'\n]+)["']`;
const PATTERNS = [
  // import x from "./a.ts"; export { y } from "../b.ts"; import type { T } from "./t.ts"
  new RegExp(String.raw`\b(?:import|export)\b[^;"']*?\bfrom\s*${SPECIFIER}`, "g"),
  // import "./side-effect.ts"
  new RegExp(String.raw`\bimport\s*${SPECIFIER}`, "g"),
  // await import("./lazy.ts")
  new RegExp(String.raw`\bimport\s*\(\s*${SPECIFIER}\s*[,)]`, "g"),
];

/**
 * The relative module specifiers (`./x.ts`, `../y.json`) a module's source names in static
 * imports, re-exports and literal dynamic imports. A best-effort scan of the text: a
 * specifier inside a comment is also returned (the caller skips files that do not exist).
 *
 * @param source Module source text.
 * @returns Specifiers in order of first appearance, without duplicates.
 */
export function localImports(source: string): string[] {
  const found = new Map<number, string>();
  for (const pattern of PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1]!;
      if (![...found.values()].includes(specifier)) found.set(match.index, specifier);
    }
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
}
