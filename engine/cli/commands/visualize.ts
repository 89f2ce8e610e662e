import { compile } from "../../dag/compile.ts";
import { dependencyAddress } from "../../flags/derive.ts";
import type { Workflow } from "../../spec/schema.ts";
import { parseDirArgs } from "../_args.ts";
import type { Command } from "../command.ts";
import { loadOrReport } from "./_workflow_dir.ts";

const USAGE = `Usage: tntc visualize [dir]

Prints a Mermaid diagram of <dir>'s workflow pod: triggers, the node DAG inside the engine,
sidecars (localhost:PORT) and contract dependencies. Paste it into a \`\`\`mermaid block in a
README, or view it on GitHub.`;

/** `tntc visualize`: the workflow pod as a Mermaid diagram. */
export const visualizeCommand: Command = {
  name: "visualize",
  summary: "print a Mermaid diagram of the DAG with its sidecars and dependencies",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs("visualize", args, {}, USAGE, io.err);
    if (!parsed) return 2;
    const loaded = await loadOrReport("visualize", parsed.dir, io);
    if (typeof loaded === "number") return loaded;
    io.out(toMermaid(loaded.workflow));
    return 0;
  },
};

/**
 * Renders a workflow as a Mermaid flowchart.
 *
 * @param wf A validated workflow.
 * @returns Mermaid source, starting with `flowchart LR`.
 * @example
 * ```ts
 * import { toMermaid } from "./visualize.ts";
 * import { validateWorkflow } from "../../spec/validate.ts";
 * const wf = validateWorkflow('name: a\nversion: "1"\nnodes:\n  hello:\n    path: ./h.ts\n');
 * console.assert(toMermaid(wf).includes('n_hello["hello"]'));
 * ```
 */
export function toMermaid(wf: Workflow): string {
  const nodes = Object.keys(wf.nodes);
  const graph = compile(nodes, wf.edges);
  const lines = ["flowchart LR"];
  wf.triggers.forEach((t, i) => {
    const detail = t.type === "cron"
      ? ` ${t.schedule}`
      : t.type === "webhook"
      ? ` ${t.path}`
      : t.type === "queue"
      ? ` ${t.subject}`
      : "";
    lines.push(`  t${i}(["${label(`${t.type}${detail}`)}"])`);
  });
  lines.push(`  subgraph pod["pod: ${label(wf.name)}"]`);
  lines.push(`    subgraph engine["engine (Deno) :8080"]`);
  for (const n of nodes) lines.push(`      ${id("n", n)}["${label(n)}"]`);
  lines.push("    end");
  for (const s of wf.sidecars ?? []) {
    lines.push(
      `    ${id("s", s.name)}[["${label(`${s.name} :${s.port}`)}<br/>${label(s.image)}"]]`,
    );
  }
  if (wf.sidecars?.length) lines.push(`    shared[("/shared")]`);
  lines.push("  end");
  for (const [name, dep] of Object.entries(wf.contract?.dependencies ?? {})) {
    lines.push(`  ${id("d", name)}{{"${label(name)}<br/>${label(dependencyAddress(dep))}"}}`);
  }
  const roots = graph.stages[0] ?? [];
  wf.triggers.forEach((_, i) => roots.forEach((r) => lines.push(`  t${i} --> ${id("n", r)}`)));
  for (const e of wf.edges) lines.push(`  ${id("n", e.from)} --> ${id("n", e.to)}`);
  for (const n of nodes) {
    const node = wf.nodes[n]!;
    const from = node.sidecars || node.dependencies ? id("n", n) : "engine";
    for (const s of node.sidecars ?? []) lines.push(`  ${from} -.->|HTTP| ${id("s", s)}`);
    for (const d of node.dependencies ?? []) lines.push(`  ${from} -.->|ctx.fetch| ${id("d", d)}`);
  }
  const unscoped = nodes.every((n) => !wf.nodes[n]!.sidecars);
  if (unscoped) {
    for (const s of wf.sidecars ?? []) {
      lines.push(`  engine -.->|localhost:${s.port}| ${id("s", s.name)}`);
    }
  }
  if (nodes.every((n) => !wf.nodes[n]!.dependencies)) {
    for (const d of Object.keys(wf.contract?.dependencies ?? {})) {
      lines.push(`  engine -.->|ctx.fetch| ${id("d", d)}`);
    }
  }
  for (const s of wf.sidecars ?? []) lines.push(`  ${id("s", s.name)} --- shared`);
  if (wf.sidecars?.length) lines.push("  engine --- shared");
  return lines.join("\n");
}

function id(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function label(text: string): string {
  return text.replace(/["<>]/g, (c) => ({ '"': "#quot;", "<": "#lt;", ">": "#gt;" })[c]!);
}
