// Fixture node "render".
export default function run(_ctx: unknown, input: unknown): unknown {
  return { node: "render", input };
}
