export default function run(_ctx: unknown, input: { spin: boolean }): unknown {
  // CPU-bound: never yields while spinning. Bounded (5 s, far past the node's timeout) only so
  // that the Worker thread, which Deno cannot interrupt, does not spin for the whole test run.
  const end = Date.now() + 5_000;
  // deno-lint-ignore no-empty
  while (input.spin && Date.now() < end) {}
  return "no spin";
}
