import type { Context } from "tentacular";

export default function run(_ctx: Context, input: unknown): unknown {
  return input;
}
