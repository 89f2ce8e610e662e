export default function run(_ctx: unknown, input: unknown): unknown {
  return { ran: true, input };
}
