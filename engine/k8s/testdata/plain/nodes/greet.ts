// Fixture node: greets, with a helper module that must travel with it into the pod.
import { greeting } from "./_format.ts";

export default function run(_ctx: unknown, input: { name?: string }): { text: string } {
  return { text: greeting(input.name ?? "world") };
}
