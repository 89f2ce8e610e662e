import type { Context } from "tentacular";

/** Returns its input, after `input.holdMs` ms when set (a long run for the overlap test). */
export default async function run(_ctx: Context, input: unknown): Promise<unknown> {
  const holdMs = (input as { holdMs?: number } | null)?.holdMs ?? 0;
  if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
  return input;
}
