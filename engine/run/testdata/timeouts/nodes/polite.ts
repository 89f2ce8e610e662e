import type { Context } from "tentacular";

export default function run(ctx: Context): Promise<unknown> {
  return new Promise((_resolve, reject) => {
    ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
  });
}
