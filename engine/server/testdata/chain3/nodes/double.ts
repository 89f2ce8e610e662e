import type { Context } from "tentacular";

/** Doubles. */
export default function run(_ctx: Context, input: unknown): { n: number } {
  return { n: (input as { n: number }).n * 2 };
}
