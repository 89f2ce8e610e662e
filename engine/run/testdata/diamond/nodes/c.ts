import type { Context } from "tentacular";

export default function run(ctx: Context, input: unknown): unknown {
  return { greeting: `${ctx.config.greeting} ${(input as { n: number }).n}`, runId: ctx.runId };
}
