import type { Workflow } from "../spec/schema.ts";
import { isDns1035Label, isDnsLabel } from "./names.ts";
import { secretProblems, type SecretRef } from "./secrets.ts";

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** What {@linkcode manifestProblems} checks besides the workflow. */
export interface ProblemInputs {
  /** The target namespace. */
  namespace: string;
  /** The engine image. */
  engineImage: string;
  /** The Secrets the workflow reads. */
  secrets: SecretRef[];
}

/**
 * Finds everything Kubernetes would reject that `tntc validate` lets through: the namespace,
 * the Service name (must start with a letter), image references, env names, Secret names.
 *
 * @param workflow The validated workflow.
 * @param inputs Namespace, engine image and Secret references.
 * @returns One message per problem (empty when the manifests will be accepted).
 * @example
 * ```ts
 * import { manifestProblems } from "./problems.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow("name: 1st\nversion: \"1\"\nnodes:\n  n:\n    path: ./n.ts\n");
 * const problems = manifestProblems(wf, { namespace: "ok", engineImage: "e:1", secrets: [] });
 * console.assert(problems.length === 1); // a Service name must start with a letter
 * ```
 */
export function manifestProblems(workflow: Workflow, inputs: ProblemInputs): string[] {
  const problems: string[] = [];
  if (!isDnsLabel(inputs.namespace)) {
    problems.push(
      `namespace "${inputs.namespace}" is not a valid namespace name: use lowercase letters, ` +
        `digits and "-", starting and ending with a letter or digit, at most 63 characters`,
    );
  }
  if (!isDns1035Label(workflow.name)) {
    problems.push(
      `workflow name "${workflow.name}" must start with a letter to name its Kubernetes Service`,
    );
  }
  problems.push(...imageProblems("engine image", inputs.engineImage));
  for (const sidecar of workflow.sidecars ?? []) {
    problems.push(...imageProblems(`sidecar "${sidecar.name}": image`, sidecar.image));
    for (const name of Object.keys(sidecar.env ?? {})) {
      if (!ENV_NAME.test(name)) {
        problems.push(
          `sidecar "${sidecar.name}": env name "${name}" is not valid in Kubernetes ` +
            `(must match [-._a-zA-Z][-._a-zA-Z0-9]*)`,
        );
      }
    }
  }
  problems.push(...secretProblems(inputs.secrets));
  return problems;
}

function imageProblems(what: string, image: string): string[] {
  if (image.trim() === "") return [`${what} is empty`];
  if (/\s/.test(image)) return [`${what} "${image}" contains whitespace`];
  return [];
}
