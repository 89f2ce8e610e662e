import type { Context } from "tentacular";

export default function run(ctx: Context): string {
  let deep: unknown = 1;
  for (let i = 0; i < 5_000; i++) deep = [deep];
  ctx.log.info("a deep field", { deep });
  return "logged";
}
