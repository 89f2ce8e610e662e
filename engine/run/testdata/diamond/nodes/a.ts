import type { Context } from "tentacular";

export default async function run(ctx: Context, input: unknown): Promise<unknown> {
  ctx.log.info("a got input", { input });
  return await Promise.resolve({ n: (input as { n: number }).n + 1 });
}
