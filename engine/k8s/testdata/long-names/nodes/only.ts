// Fixture node of the 63-character names workflow.
export default function run(_ctx: unknown, input: unknown): unknown {
  return input;
}
