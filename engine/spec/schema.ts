import { z } from "zod";
import type { Dependency, Sidecar, Trigger, Workflow, WorkflowNode } from "./types.ts";
import { DURATION_HELP, DURATION_PATTERN, isDuration } from "./duration.ts";

/** Pattern for sidecar names (Sidecar Specification). */
export const SIDECAR_NAME = /^[a-z][a-z0-9_-]*$/;
/** Pattern for node and dependency names. */
export const NODE_NAME = /^[a-z][a-z0-9_-]*$/;
/** A Kubernetes DNS-1123 label: the workflow name becomes resource names. */
export const WORKFLOW_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const duration = z.string().regex(DURATION_PATTERN, {
  message: `expected ${DURATION_HELP}`,
  abort: true,
})
  .refine(isDuration, { message: `expected ${DURATION_HELP}` })
  .meta({ description: DURATION_HELP, examples: ["300s", "5m"] });

const cpu = z.union([
  z.string().regex(/^\d+(\.\d+)?m?$/, 'expected a CPU quantity like "500m" or "1"'),
  z.number().positive(),
])
  .transform(String).meta({ description: 'CPU quantity in Kubernetes format, e.g. "500m" or "1"' });
const memory = z.string()
  .regex(
    /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/,
    'expected a memory quantity like "256Mi" or "1Gi"',
  )
  .meta({ description: 'Memory quantity in Kubernetes format, e.g. "256Mi" or "1Gi"' });

const resourceList = z.strictObject({ cpu: cpu.optional(), memory: memory.optional() });

/** One entry of `sidecars:` — every field of the Sidecar Specification. */
export const SidecarSchema = z.strictObject({
  name: z.string().regex(SIDECAR_NAME).max(63).meta({
    description: "Sidecar identifier. Must match [a-z][a-z0-9_-]*; unique.",
  }),
  image: z.string().meta({
    description: "Container image reference. Pin to a digest in production.",
  }),
  port: z.number().int().min(1024).max(65535).meta({
    description: "Port the sidecar API listens on (1024-65535, not 8080).",
  }),
  protocol: z.enum(["http", "grpc"]).default("http").meta({
    description: 'API protocol: "http" or "grpc".',
  }),
  healthPath: z.string().regex(/^\//).default("/health").meta({
    description: "HTTP path for the readiness probe.",
  }),
  command: z.array(z.string()).optional().meta({
    description: "Override the container entrypoint.",
  }),
  args: z.array(z.string()).optional().meta({ description: "Override the container arguments." }),
  env: z.record(z.string(), z.string()).optional().meta({
    description: "Environment variables (string values).",
  }),
  resources: z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() })
    .optional(),
});

/** Default port per dependency protocol, used when `port` is omitted. */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  https: 443,
  http: 80,
  grpc: 443,
  postgresql: 5432,
  mysql: 3306,
  redis: 6379,
  nats: 4222,
  amqp: 5672,
};

const secretRef = z.string().regex(
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/,
  'expected "<secret>.<key>", e.g. "openai.token"',
);

const hostname = z.string().regex(
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
  "expected a bare host name like api.openai.com (no scheme, port or path)",
);

/** A contract dependency: an external host the workflow may reach. */
export const DependencySchema = z.strictObject({
  protocol: z.enum([
    "https",
    "http",
    "grpc",
    "tcp",
    "postgresql",
    "mysql",
    "redis",
    "nats",
    "amqp",
  ]),
  host: hostname,
  port: z.number().int().min(1).max(65535).optional(),
  auth: z.strictObject({
    type: z.enum(["bearer-token", "api-key", "basic"]),
    secret: secretRef,
    header: z.string().optional().meta({
      description: "Header for api-key auth (default X-API-Key).",
    }),
  }).optional(),
});

/** A workflow node: a TypeScript module exporting `run(ctx, input)`. */
export const NodeSchema = z.strictObject({
  path: z.string().meta({ description: "Module path relative to the workflow directory." }),
  description: z.string().optional(),
  timeout: duration.optional().meta({ description: "Overrides config.timeout for this node." }),
  retries: z.number().int("must be a whole number").min(0, "must be a non-negative integer")
    .optional().meta({ description: "Overrides config.retries." }),
  dependencies: z.array(z.string()).optional()
    .meta({ description: "Contract dependencies this node may reach (default: all)." }),
  sidecars: z.array(z.string()).optional()
    .meta({ description: "Sidecars this node may call (default: all)." }),
});

/** A workflow trigger. */
export const TriggerSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("manual"), name: z.string().optional() }),
  z.strictObject({
    type: z.literal("cron"),
    name: z.string().optional(),
    schedule: z.string().meta({ description: 'Cron expression, e.g. "0 * * * *"' }),
    input: z.unknown().optional(),
  }),
  z.strictObject({
    type: z.literal("webhook"),
    name: z.string().optional(),
    path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, 'expected a URL path starting with "/"'),
    secret: secretRef.optional().meta({
      description:
        'Secret reference "<secret>.<key>" holding the HMAC-SHA256 key for signature checks.',
    }),
  }),
  z.strictObject({
    type: z.literal("queue"),
    name: z.string().optional(),
    subject: z.string().min(1),
  }),
]);

/** The `config:` block; keys beyond these are kept and passed to nodes. */
export const ConfigSchema = z.looseObject({
  timeout: duration.default("30s").meta({ description: "Per-node timeout (default 30s)." }),
  retries: z.number().int("must be a whole number").min(0, "must be a non-negative integer")
    .default(0).meta({
      description: "Retries per node (default 0).",
    }),
  runTimeout: duration.optional().meta({
    description: "Deadline for a whole run, from the moment the engine accepts it.",
  }),
});

/** The whole `workflow.yaml`. */
export const WorkflowSchema = z.strictObject({
  name: z.string().regex(
    WORKFLOW_NAME,
    "must be lowercase letters, digits and '-', starting and ending with a letter or digit",
  ).max(63),
  version: z.string(),
  description: z.string().optional(),
  triggers: z.array(TriggerSchema).default([{ type: "manual" }]),
  sidecars: z.array(SidecarSchema).optional(),
  contract: z.strictObject({
    version: z.string(),
    dependencies: z.record(z.string(), DependencySchema).default({}),
  }).optional(),
  nodes: z.record(z.string(), NodeSchema),
  edges: z.array(z.strictObject({ from: z.string(), to: z.string() })).default([]),
  config: ConfigSchema.default({ timeout: "30s", retries: 0 }),
}).meta({
  title: "workflow.yaml",
  description: "A workflow pod: Deno nodes, their edges, sidecars and contract.",
});

// The hand-written types in types.ts document every field; these checks keep them and the
// schema identical (a mismatch is a type error here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameWorkflow: Same<z.output<typeof WorkflowSchema>, Workflow> = true;
const _sameSidecar: Same<z.output<typeof SidecarSchema>, Sidecar> = true;
const _sameDependency: Same<z.output<typeof DependencySchema>, Dependency> = true;
const _sameNode: Same<z.output<typeof NodeSchema>, WorkflowNode> = true;
const _sameTrigger: Same<z.output<typeof TriggerSchema>, Trigger> = true;
export type { Dependency, Sidecar, Trigger, Workflow, WorkflowNode };
