import type { Context } from "tentacular";

export default async function run(
  _ctx: Context,
  input: { mode: string; tmp?: string },
): Promise<unknown> {
  if (input.mode !== "attack") {
    return "ok";
  }
  await fetch("https://example.com/");
  return "should have been denied";
}
