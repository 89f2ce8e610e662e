import type { Context } from "tentacular";

/** Returns its input. */
export default function run(_ctx: Context, input: unknown): unknown {
  return input;
}
