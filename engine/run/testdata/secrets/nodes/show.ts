import type { Context } from "tentacular";

export default function run(ctx: Context): unknown {
  let frozen = true;
  try {
    (ctx.secrets as Record<string, unknown>).added = {};
    frozen = !("added" in ctx.secrets);
  } catch {
    frozen = true;
  }
  return { secrets: ctx.secrets, frozen };
}
