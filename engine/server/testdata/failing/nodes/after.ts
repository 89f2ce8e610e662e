import type { Context } from "tentacular";

/** Never reached: its parent fails. */
export default function run(_ctx: Context, input: unknown): unknown {
  return input;
}
