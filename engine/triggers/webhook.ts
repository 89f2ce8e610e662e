import type { Trigger } from "../spec/schema.ts";
import { triggerLabel } from "./label.ts";
import { createSignatureVerifier, type SignatureVerifier } from "./signature.ts";

/** A webhook trigger ready to serve: its path, label and (with a secret) its verifier. */
export interface WebhookRoute {
  /** The declared URL path. */
  path: string;
  /** `webhook:<path>`. */
  label: string;
  /** Checks `X-Signature-256`; absent when the trigger declares no secret. */
  verifier?: SignatureVerifier;
}

/**
 * A webhook's `secret` reference cannot be resolved. The engine refuses to start: serving
 * the webhook unsigned would silently drop the protection the workflow asked for.
 *
 * @example
 * ```ts
 * import { WebhookSecretError } from "./webhook.ts";
 * const err = new WebhookSecretError(["triggers[0].secret: x"]);
 * console.assert(err.problems.length === 1 && err.message === "triggers[0].secret: x");
 * ```
 */
export class WebhookSecretError extends Error {
  /** One message per unresolved secret. */
  readonly problems: string[];

  /**
   * Creates the error.
   *
   * @param problems One message per unresolved secret.
   */
  constructor(problems: string[]) {
    super(problems.join("\n"));
    this.name = "WebhookSecretError";
    this.problems = problems;
  }
}

const REFERENCE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_.-]+)$/;

/**
 * Resolves every webhook trigger. A trigger's `secret` is a reference `<secret>.<key>` into
 * the engine's secrets (like a contract dependency's `auth.secret`), never the secret value
 * itself: `workflow.yaml` ships in a ConfigMap, secrets in a Secret.
 *
 * @param triggers The workflow's triggers; only webhooks are used.
 * @param secrets The loaded secrets, by secret name then key.
 * @returns One route per webhook trigger, in declaration order.
 * @throws {WebhookSecretError} Listing every reference that is malformed or missing.
 * @example
 * ```ts
 * import { prepareWebhooks } from "./webhook.ts";
 * const routes = await prepareWebhooks(
 *   [{ type: "webhook", path: "/hooks/gh", secret: "github.webhook" }],
 *   { github: { webhook: "s3cret" } },
 * );
 * console.assert(routes[0]?.label === "webhook:/hooks/gh" && routes[0].verifier !== undefined);
 * ```
 */
export async function prepareWebhooks(
  triggers: readonly Trigger[],
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Promise<WebhookRoute[]> {
  const routes: WebhookRoute[] = [];
  const problems: string[] = [];
  for (const [index, trigger] of triggers.entries()) {
    if (trigger.type !== "webhook") continue;
    const route: WebhookRoute = { path: trigger.path, label: triggerLabel(trigger) };
    routes.push(route);
    if (trigger.secret === undefined) continue;
    const where = `triggers[${index}].secret`;
    const match = REFERENCE.exec(trigger.secret);
    if (!match) {
      problems.push(
        `${where}: "${trigger.secret}" is not a secret reference; expected "<secret>.<key>", ` +
          'e.g. "github.webhook"',
      );
      continue;
    }
    const [, name, key] = match as unknown as [string, string, string];
    const value = secrets[name]?.[key];
    if (value === undefined || value === "") {
      const known = Object.keys(secrets[name] ?? {}).sort();
      problems.push(
        `${where}: secret "${trigger.secret}" not found: ` +
          (secrets[name] === undefined
            ? `no secret named "${name}"`
            : `secret "${name}" has no key "${key}" (keys: ${known.join(", ") || "none"})`),
      );
      continue;
    }
    route.verifier = await createSignatureVerifier(value);
  }
  if (problems.length > 0) throw new WebhookSecretError(problems);
  return routes;
}
