// Fixture node "fetch-video" of the Sidecar Specification's complete example.
export default function run(_ctx: unknown, input: unknown): unknown {
  return { node: "fetch-video", input };
}
