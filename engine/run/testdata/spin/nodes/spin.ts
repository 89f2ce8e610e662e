export default function run(_ctx: unknown, input: { spin: boolean }): unknown {
  // deno-lint-ignore no-empty
  while (input.spin) {}
  return "no spin";
}
