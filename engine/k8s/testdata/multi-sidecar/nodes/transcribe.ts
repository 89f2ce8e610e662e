// Fixture node "transcribe".
export default function run(_ctx: unknown, input: unknown): unknown {
  return { node: "transcribe", input };
}
