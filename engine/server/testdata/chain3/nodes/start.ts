import type { Context } from "tentacular";

/** Reads `n` from the input (default 0). */
export default function run(_ctx: Context, input: unknown): { n: number } {
  const n = (input as { n?: unknown } | null)?.n;
  return { n: typeof n === "number" ? n : 0 };
}
