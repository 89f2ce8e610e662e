import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import type { Workflow } from "../spec/schema.ts";
import { isDnsLabel, labelWithSuffix } from "./names.ts";

/** A Kubernetes Secret the workflow reads, and the keys it reads from it. */
export interface SecretRef {
  /** The Secret's name (the part of `"<secret>.<key>"` before the first dot). */
  secret: string;
  /** The keys read, sorted, without duplicates. */
  keys: string[];
}

const REFERENCE = /^([^.]+)\.(.+)$/;

/**
 * Collects the Secrets a workflow reads: each `contract.dependencies.*.auth.secret` and each
 * webhook trigger `secret` written as `"<secret>.<key>"`.
 *
 * @param workflow The validated workflow.
 * @returns One entry per Secret, sorted by name.
 * @example
 * ```ts
 * import { secretRefs } from "./secrets.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow(
 *   "name: a\nversion: \"1\"\ncontract:\n  version: \"1\"\n  dependencies:\n    api:\n" +
 *     "      protocol: https\n      host: api.openai.com\n      auth:\n" +
 *     "        type: bearer-token\n        secret: openai.token\nnodes:\n  n:\n    path: ./n.ts\n",
 * );
 * console.assert(JSON.stringify(secretRefs(wf)) === '[{"secret":"openai","keys":["token"]}]');
 * ```
 */
export function secretRefs(workflow: Workflow): SecretRef[] {
  const references = [
    ...Object.values(workflow.contract?.dependencies ?? {}).map((d) => d.auth?.secret),
    ...workflow.triggers.map((t) => t.type === "webhook" ? t.secret : undefined),
  ];
  const bySecret = new Map<string, Set<string>>();
  for (const reference of references) {
    const match = reference === undefined ? null : REFERENCE.exec(reference);
    if (!match) continue;
    const [, secret, key] = match as unknown as [string, string, string];
    bySecret.set(secret, (bySecret.get(secret) ?? new Set()).add(key));
  }
  return [...bySecret.entries()]
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([secret, keys]) => ({ secret, keys: [...keys].sort() }));
}

/**
 * Finds Secret references Kubernetes would reject: Secret names must be DNS-1123 labels here
 * (lowercase letters, digits, `-`), keys must be `[-._a-zA-Z0-9]+` and not `.` or `..`.
 *
 * @param refs From {@linkcode secretRefs}.
 * @returns One message per problem (empty when all are valid).
 * @example
 * ```ts
 * import { secretProblems } from "./secrets.ts";
 * console.assert(secretProblems([{ secret: "Open_AI", keys: ["token"] }]).length === 1);
 * ```
 */
export function secretProblems(refs: SecretRef[]): string[] {
  const problems: string[] = [];
  for (const { secret, keys } of refs) {
    if (!isDnsLabel(secret)) {
      problems.push(
        `secret "${secret}" is not a valid Kubernetes Secret name: use lowercase letters, ` +
          `digits and "-", starting and ending with a letter or digit, at most 63 characters`,
      );
    }
    for (const key of keys) {
      if (key === "." || key === ".." || key.startsWith("..") || !/^[-._a-zA-Z0-9]+$/.test(key)) {
        problems.push(
          `secret "${secret}": key "${key}" is not a valid Secret key (allowed: letters, ` +
            `digits, "-", "_", "."; not "." or "..")`,
        );
      }
    }
  }
  return problems;
}

/**
 * The volume and engine mount of one Secret: mounted read-only at
 * `<secretsDir>/<secret>`, exposing only the keys the workflow reads.
 *
 * @param ref The Secret and its keys.
 * @param secretsDir Where the engine reads secrets, e.g. `/var/run/secrets`.
 * @returns The pod volume and the engine's mount of it.
 * @example
 * ```ts
 * import { secretVolume } from "./secrets.ts";
 * const { mount } = secretVolume({ secret: "openai", keys: ["token"] }, "/var/run/secrets");
 * console.assert(mount.mountPath === "/var/run/secrets/openai");
 * ```
 */
export function secretVolume(
  ref: SecretRef,
  secretsDir: string,
): { volume: IVolume; mount: IVolumeMount } {
  // The "-secret" suffix keeps these apart from "<sidecar>-tmp" and the fixed volume names.
  const name = labelWithSuffix(ref.secret, "-secret");
  return {
    volume: {
      name,
      secret: { secretName: ref.secret, items: ref.keys.map((key) => ({ key, path: key })) },
    },
    mount: { name, mountPath: `${secretsDir}/${ref.secret}`, readOnly: true },
  };
}
