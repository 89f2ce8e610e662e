// Fixture: the validator only checks that this file exists.
export default function run(_ctx: unknown, input: unknown): unknown {
  return input;
}
