/** Writes `<dir>/started` at once and `<dir>/late` after 600 ms; never honours ctx.signal. */
export default async function run(_ctx: unknown, input: { dir: string }): Promise<string> {
  await Deno.writeTextFile(`${input.dir}/started`, "yes");
  setTimeout(() => Deno.writeTextFileSync(`${input.dir}/late`, "still running"), 600);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return "too late";
}
