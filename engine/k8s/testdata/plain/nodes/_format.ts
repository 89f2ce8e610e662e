// Fixture helper imported by greet.ts (not a node itself).
import words from "../lib/words.json" with { type: "json" };

/** Formats a greeting. */
export function greeting(name: string): string {
  return `${words.hello} ${name}`;
}
