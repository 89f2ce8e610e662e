import type { Context } from "tentacular";

export default function run(ctx: Context): Promise<unknown> {
  return new Promise((_resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not cancelled within 10s")), 10_000);
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(ctx.signal.reason);
    });
  });
}
