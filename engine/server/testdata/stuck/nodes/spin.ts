/** Spins forever without yielding when `input.spin` is true: only a process exit stops it. */
export default function run(_ctx: unknown, input: { spin?: boolean } | null): string {
  // deno-lint-ignore no-empty
  while (input?.spin === true) {}
  return "did not spin";
}
