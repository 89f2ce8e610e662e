// Fixture node "transcode".
export default function run(_ctx: unknown, input: unknown): unknown {
  return { node: "transcode", input };
}
