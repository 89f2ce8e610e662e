import type { Context, DependencyInfo, NodeLogger, Secrets, SidecarClient } from "./context.ts";
import { dependencyFetch } from "./_dependency_fetch.ts";
import { type LogTarget, nodeLogger } from "./_log.ts";
import type { PlanNode, RunPlan } from "./_protocol.ts";
import { sidecarClient, type SidecarEnv } from "./_sidecar_client.ts";
import { mapSharedPath } from "./shared_path.ts";

/** What every context of one sandbox shares. */
export interface ContextEnv extends SidecarEnv {
  plan: RunPlan;
  secrets: Readonly<Secrets>;
  config: Readonly<Record<string, unknown>>;
}

/** The `ctx` of one node attempt. Its signal and logger are created on first use. */
export class NodeContext implements Context {
  readonly runId: string;
  readonly node: string;
  readonly #env: ContextEnv;
  readonly #planNode: PlanNode;
  readonly #target: Omit<LogTarget, "node">;
  #controller: AbortController | undefined;
  #reason: unknown;
  #log: NodeLogger | undefined;

  constructor(env: ContextEnv, node: PlanNode, run: Omit<LogTarget, "node">) {
    this.#env = env;
    this.#planNode = node;
    this.runId = run.runId;
    this.node = node.name;
    this.#target = run;
  }

  get config(): Readonly<Record<string, unknown>> {
    return this.#env.config;
  }

  get secrets(): Readonly<Secrets> {
    return this.#env.secrets;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get sharedDir(): string {
    return this.#env.plan.sharedDir;
  }

  sharedPath = (podPath: string): string => {
    try {
      return mapSharedPath(this.#env.plan.sharedDir, podPath);
    } catch (error) {
      const Type = error instanceof TypeError ? TypeError : RangeError;
      throw new Type(`ctx.sharedPath: ${(error as Error).message}`, { cause: error });
    }
  };

  get log(): NodeLogger {
    return this.#log ??= nodeLogger({ ...this.#target, node: this.node });
  }

  /** Aborts `signal` (once) with `reason`. */
  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  fetch = (dependency: string, path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      const dep = this.dependency(dependency);
      const signal = init.signal ? AbortSignal.any([this.signal, init.signal]) : this.signal;
      return dependencyFetch(dep, path, { ...init, signal }, this.#env.secrets, this.#env.fetch);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  dependency = (name: string): DependencyInfo => {
    const declared = this.#env.plan.dependencies;
    const dep = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (dep === undefined) {
      const names = Object.keys(declared);
      throw new ReferenceError(
        `dependency "${name}" is not declared in the workflow contract ` +
          (names.length === 0
            ? "(contract.dependencies is empty)"
            : `(contract.dependencies: ${names.join(", ")})`),
      );
    }
    const allowed = this.#planNode.dependencies;
    if (allowed !== null && !allowed.includes(name)) {
      throw new ReferenceError(
        `node "${this.node}" may not use dependency "${name}": ` +
          `its dependencies list is [${allowed.join(", ")}]`,
      );
    }
    return structuredClone(dep);
  };

  sidecar = (name: string): SidecarClient => {
    const declared = this.#env.plan.sidecars;
    const info = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (info === undefined) {
      const names = Object.keys(declared);
      throw new ReferenceError(
        `sidecar "${name}" is not declared in workflow.yaml ` +
          (names.length === 0 ? "(it declares no sidecars)" : `(sidecars: ${names.join(", ")})`),
      );
    }
    const allowed = this.#planNode.sidecars;
    if (allowed !== null && !allowed.includes(name)) {
      throw new ReferenceError(
        `node "${this.node}" may not call sidecar "${name}": ` +
          `its sidecars list is [${allowed.join(", ")}]`,
      );
    }
    return sidecarClient(info, this.#env, () => this.signal);
  };
}
