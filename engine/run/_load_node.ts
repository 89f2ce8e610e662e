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
    return `node "${node.name}": cannot load ${node.moduleUrl}: ${describeError(error)}`;
  }
}
