import type { CommandIO } from "./command.ts";
import { main } from "./main.ts";

/** Runs `tntc` in-process and captures what it prints. */
export async function tntc(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(args, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}
