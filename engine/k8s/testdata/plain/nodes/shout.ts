// Fixture node: upper-cases the greeting.
export default function run(_ctx: unknown, input: { text: string }): { text: string } {
  return { text: input.text.toUpperCase() };
}
