import type { Context } from "tentacular";

/** Reaches the declared sidecar port: refused (nothing listens) but not denied. */
export default async function run(_ctx: Context, _input: unknown): Promise<unknown> {
  try {
    await fetch("http://localhost:19876/health");
    return "reached";
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return "allowed (connection refused)";
  }
}
