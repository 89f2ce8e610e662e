// Fixture node "extract-frames" of the Sidecar Specification's complete example.
export default function run(_ctx: unknown, input: unknown): unknown {
  return { node: "extract-frames", input };
}
