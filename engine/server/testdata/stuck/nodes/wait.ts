import type { Context } from "tentacular";

/** Waits `input.ms` ms, or until the run is cancelled. */
export default async function run(ctx: Context, input: unknown): Promise<{ waitedMs: number }> {
  const ms = (input as { ms?: number } | null)?.ms ?? 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(ctx.signal.reason);
    }, { once: true });
  });
  return { waitedMs: Date.now() - started };
}
