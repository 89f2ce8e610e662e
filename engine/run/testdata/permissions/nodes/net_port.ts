import type { Context } from "tentacular";

export default async function run(
  _ctx: Context,
  input: { mode: string; tmp?: string },
): Promise<unknown> {
  if (input.mode !== "attack") {
    return "ok";
  }
  await fetch("http://localhost:19877/");
  return "should have been denied";
}
