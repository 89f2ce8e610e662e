import type { Context } from "tentacular";

const attempts = new Map<string, number>();

export default async function run(ctx: Context, _input: unknown): Promise<unknown> {
  const n = (attempts.get(ctx.runId) ?? 0) + 1;
  attempts.set(ctx.runId, n);
  if (n < 3) throw new Error(`flaky failure ${n}`);
  return await Promise.resolve({ succeededOn: n });
}
