import type { Context } from "tentacular";

export default async function run(ctx: Context): Promise<unknown> {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { node: ctx.node, started, finished: Date.now() };
}
