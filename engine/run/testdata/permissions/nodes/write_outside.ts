import type { Context } from "tentacular";

export default async function run(
  _ctx: Context,
  input: { mode: string; tmp?: string },
): Promise<unknown> {
  if (input.mode !== "attack") {
    if (input.tmp) await Deno.writeTextFile(`${input.tmp}/allowed.txt`, "ok");
    return "ok";
  }
  await Deno.writeTextFile(new URL("./planted.ts", import.meta.url), "export {};");
  return "should have been denied";
}
