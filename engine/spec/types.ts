/**
 * The shape of a validated workflow, written out so that every field is documented. The zod
 * schema in `schema.ts` is checked at compile time to produce exactly these types.
 *
 * @module
 */

/** A validated `workflow.yaml` with defaults applied. */
export interface Workflow {
  /** Workflow name; a Kubernetes DNS-1123 label (it names the Deployment). */
  name: string;
  /** Workflow version, a string such as `"1.0"`. */
  version: string;
  /** What the workflow does. */
  description?: string | undefined;
  /** What starts a run; defaults to one `manual` trigger. */
  triggers: Trigger[];
  /** Native-tool containers in the same pod, reachable on `localhost:PORT`. */
  sidecars?: Sidecar[] | undefined;
  /** External hosts the workflow may reach. */
  contract?: Contract | undefined;
  /** Nodes by name. */
  nodes: Record<string, WorkflowNode>;
  /** Edges of the DAG (parent → child). */
  edges: { from: string; to: string }[];
  /** Engine settings plus any keys nodes read through `ctx.config`. */
  config: WorkflowConfig;
}

/** The `config:` block. */
export interface WorkflowConfig {
  /** Per-node timeout, e.g. `"300s"` (default `"30s"`). */
  timeout: string;
  /** Retries per node after a failure (default 0). */
  retries: number;
  /** Deadline for a whole run, from the moment the engine accepts it, e.g. `"10m"`. */
  runTimeout?: string | undefined;
  /** Any other key, passed to nodes. */
  [key: string]: unknown;
}

/** A sidecar: every field of the Sidecar Specification, defaults applied. */
export interface Sidecar {
  /** Identifier, `[a-z][a-z0-9_-]*`, unique; also the container name. */
  name: string;
  /** Container image reference. */
  image: string;
  /** Port of its API (1024-65535, not 8080). */
  port: number;
  /** API protocol (default `"http"`). */
  protocol: "http" | "grpc";
  /** Readiness path (default `"/health"`). */
  healthPath: string;
  /** Overrides the image ENTRYPOINT. */
  command?: string[] | undefined;
  /** Overrides the image CMD. */
  args?: string[] | undefined;
  /** Environment variables. */
  env?: Record<string, string> | undefined;
  /** Kubernetes resource requests and limits. */
  resources?: {
    requests?: ResourceList | undefined;
    limits?: ResourceList | undefined;
  } | undefined;
}

/** CPU and memory quantities in Kubernetes format. */
export interface ResourceList {
  /** e.g. `"500m"`. */
  cpu?: string | undefined;
  /** e.g. `"256Mi"`. */
  memory?: string | undefined;
}

/** The `contract:` block. */
export interface Contract {
  /** Contract version. */
  version: string;
  /** Dependencies by name (the name `ctx.fetch` takes). */
  dependencies: Record<string, Dependency>;
}

/** An external host the workflow may reach. */
export interface Dependency {
  /** Protocol; sets the default port. */
  protocol: "https" | "http" | "grpc" | "tcp" | "postgresql" | "mysql" | "redis" | "nats" | "amqp";
  /** Bare host name. */
  host: string;
  /** Port; defaults by protocol (https 443, http 80, ...). */
  port?: number | undefined;
  /** How `ctx.fetch` authenticates to this host. */
  auth?: {
    /** Auth scheme. */
    type: "bearer-token" | "api-key" | "basic";
    /** Secret reference `"<secret>.<key>"`. */
    secret: string;
    /** Header for api-key auth (default `X-API-Key`). */
    header?: string | undefined;
  } | undefined;
}

/** A node: a module exporting `run(ctx, input)`. */
export interface WorkflowNode {
  /** Module path relative to the workflow directory. */
  path: string;
  /** What the node does. */
  description?: string | undefined;
  /** Overrides `config.timeout`. */
  timeout?: string | undefined;
  /** Overrides `config.retries`. */
  retries?: number | undefined;
  /** Contract dependencies this node may reach (default: all). */
  dependencies?: string[] | undefined;
  /** Sidecars this node may call (default: all). */
  sidecars?: string[] | undefined;
}

/** What starts a run. */
export type Trigger =
  | { type: "manual"; name?: string | undefined }
  | { type: "cron"; name?: string | undefined; schedule: string; input?: unknown }
  | { type: "webhook"; name?: string | undefined; path: string; secret?: string | undefined }
  | { type: "queue"; name?: string | undefined; subject: string };
