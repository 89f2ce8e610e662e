import type { Context } from "tentacular";

export default function run(_ctx: Context, input: unknown): unknown {
  return { doubled: (input as { n: number }).n * 2 };
}
