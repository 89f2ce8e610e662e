import type { Context } from "tentacular";

const attempts = new Map<string, number>();

export default async function run(ctx: Context, _input: unknown): Promise<unknown> {
  const key = `${ctx.runId}/${ctx.node}`;
  const n = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, n);
  if (n < 3) throw new Error(`flaky failure ${n}`);
  return await Promise.resolve({ succeededOn: n });
}
