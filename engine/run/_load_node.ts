import type { NodeFunction } from "./context.ts";
import { describeError } from "./_attempt.ts";
import type { PlanNode } from "./_protocol.ts";

/** Imports a node module; returns its `run` function, or what is wrong with it. */
export async function loadNode(node: PlanNode): Promise<NodeFunction | string> {
  try {
    const mod = await import(node.moduleUrl);
    if (typeof mod.default === "function") return mod.default as NodeFunction;
    return `node "${node.name}": ${node.moduleUrl} must have a default export ` +
      `\`async function run(ctx, input)\` (its default export is ${typeof mod.default})`;
  } catch (error) {
    return `node "${node.name}": cannot load ${node.moduleUrl}: ${loadProblem(error)}`;
  }
}

/**
 * What made an import fail. Deno reports a module's syntax error as a `TypeError` whose message
 * already starts with `SyntaxError: `; the outer name would only repeat it.
 */
function loadProblem(error: unknown): string {
  if (error instanceof TypeError && /^[A-Z]\w*Error: /.test(error.message)) return error.message;
  return describeError(error);
}
