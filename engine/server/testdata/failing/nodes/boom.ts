import type { Context } from "tentacular";

/** Always fails. */
export default function run(_ctx: Context, _input: unknown): never {
  throw new Error("boom: this node always fails");
}
