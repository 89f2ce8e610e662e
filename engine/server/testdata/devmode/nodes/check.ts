import type { Context } from "tentacular";

/** Reports whether it runs under `tntc dev` / `tntc run` (TNTC_DEV set). */
export default function run(_ctx: Context, _input: unknown): { dev: string | null } {
  return { dev: Deno.env.get("TNTC_DEV") ?? null };
}
