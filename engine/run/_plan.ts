import { compile } from "../dag/compile.ts";
import { dependencyAddress, type EngineLayout } from "../flags/derive.ts";
import { parseDuration } from "../spec/duration.ts";
import { DEFAULT_PORTS, type Workflow } from "../spec/schema.ts";
import type { DependencyInfo, LogLevel } from "./context.ts";
import type { PlanNode, Profile, RunPlan, SidecarInfo } from "./_protocol.ts";

/** What {@linkcode buildPlan} needs besides the workflow. */
export interface PlanOptions {
  /** Absolute workflow directory (node paths are relative to it). */
  dir: string;
  layout: EngineLayout;
  /** Directory of the sandbox's own code, which sandboxes must be able to read. */
  engineDir: string;
  /** Whether this process holds a permission (sandboxes can only narrow it). */
  granted: (desc: Deno.PermissionDescriptor) => boolean;
  retryBaseMs: number;
  retryMaxMs: number;
  logLevel: LogLevel;
}

/**
 * Turns a validated workflow into the cloneable plan sandboxes execute: nodes by index with
 * parents, children, timeouts and retries, and one permission profile per distinct set of
 * hosts the nodes may reach.
 */
export function buildPlan(workflow: Workflow, options: PlanOptions): RunPlan {
  const names = Object.keys(workflow.nodes);
  const graph = compile(names, workflow.edges);
  const index = new Map(names.map((n, i) => [n, i]));
  const deps = dependencyInfos(workflow);
  const sidecars = sidecarInfos(workflow);
  const profiles: Profile[] = [];
  const profileKeys = new Map<string, number>();
  const base = baseGrants(workflow, options);
  const nodes: PlanNode[] = names.map((name, i) => {
    const node = workflow.nodes[name]!;
    const net = nodeNet(workflow, node.dependencies ?? null, node.sidecars ?? null)
      .filter((host) => options.granted({ name: "net", host }));
    const key = net.join(",");
    let profile = profileKeys.get(key);
    if (profile === undefined) {
      profile = profiles.push({ net, ...base }) - 1;
      profileKeys.set(key, profile);
    }
    return {
      name,
      index: i,
      moduleUrl: new URL(node.path, `file://${options.dir}/`).href,
      parents: graph.parents.get(name)!.map((p) => index.get(p)!),
      children: graph.children.get(name)!.map((c) => index.get(c)!),
      timeoutMs: parseDuration(node.timeout ?? workflow.config.timeout),
      retries: node.retries ?? workflow.config.retries,
      profile,
      dependencies: node.dependencies ?? null,
      sidecars: node.sidecars ?? null,
    };
  });
  const runTimeout = workflow.config.runTimeout ?? null;
  return {
    workflow: workflow.name,
    nodes,
    config: { ...workflow.config },
    runTimeoutMs: runTimeout === null ? null : parseDuration(runTimeout),
    runTimeoutText: runTimeout,
    dependencies: deps,
    sidecars,
    sharedDir: options.layout.sharedDir,
    profiles,
    homeProfile: mostCommon(nodes.map((n) => n.profile)),
    retryBaseMs: options.retryBaseMs,
    retryMaxMs: options.retryMaxMs,
    logLevel: options.logLevel,
  };
}

function nodeNet(wf: Workflow, deps: string[] | null, sidecars: string[] | null): string[] {
  const contract = wf.contract?.dependencies ?? {};
  const hosts = Object.entries(contract)
    .filter(([name]) => deps === null || deps.includes(name))
    .map(([, dep]) => dependencyAddress(dep));
  const ports = (wf.sidecars ?? [])
    .filter((s) => sidecars === null || sidecars.includes(s.name))
    .map((s) => `localhost:${s.port}`);
  return [...new Set([...hosts, ...ports])];
}

/** Read/write/env grants every sandbox gets: at most the engine's own. */
function baseGrants(wf: Workflow, options: PlanOptions): Omit<Profile, "net"> {
  const { layout } = options;
  const shared = (wf.sidecars?.length ?? 0) > 0 ? [layout.sharedDir] : [];
  const read = [options.engineDir, options.dir, ...shared, layout.tmpDir]
    .filter((path) => options.granted({ name: "read", path }));
  const write = [layout.tmpDir, ...shared]
    .filter((path) => options.granted({ name: "write", path }));
  const env = ["TNTC_DEV"].filter((variable) => options.granted({ name: "env", variable }));
  return { read: [...new Set(read)], write: [...new Set(write)], env };
}

function dependencyInfos(wf: Workflow): Record<string, DependencyInfo> {
  const out: Record<string, DependencyInfo> = {};
  for (const [name, dep] of Object.entries(wf.contract?.dependencies ?? {})) {
    const fallback = DEFAULT_PORTS[dep.protocol];
    const port = dep.port ?? fallback ?? 0;
    const url = `${dep.protocol}://${dep.host}${port === fallback ? "" : `:${port}`}`;
    const info: DependencyInfo = { name, protocol: dep.protocol, host: dep.host, port, url };
    if (dep.auth) {
      info.auth = { type: dep.auth.type, secret: dep.auth.secret };
      if (dep.auth.header !== undefined) info.auth.header = dep.auth.header;
    }
    out[name] = info;
  }
  return out;
}

function sidecarInfos(wf: Workflow): Record<string, SidecarInfo> {
  const out: Record<string, SidecarInfo> = {};
  for (const s of wf.sidecars ?? []) {
    out[s.name] = { name: s.name, url: `http://localhost:${s.port}`, healthPath: s.healthPath };
  }
  return out;
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  let best = values[0] ?? 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}
