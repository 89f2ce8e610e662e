/**
 * Workflow triggers served inside the engine: `manual` (`POST /run`, in `engine/server/`),
 * `cron` (croner, no overlapping runs), `webhook` (`POST <path>`, optional HMAC-SHA256
 * signature in `X-Signature-256: sha256=<hex>`), and the refusal of `queue` triggers, which
 * this engine cannot serve yet.
 *
 * @example
 * ```ts
 * import { assertTriggersSupported, signBody, triggerLabel } from "./mod.ts";
 * assertTriggersSupported([{ type: "manual" }]);
 * console.assert(triggerLabel({ type: "cron", schedule: "0 * * * *" }) === "cron:0 * * * *");
 * console.assert((await signBody("k", "{}")).startsWith("sha256="));
 * ```
 *
 * @module
 */
export { cronerScheduler, startCronTriggers } from "./cron.ts";
export type { CronTickOutcome, CronTrigger, CronTriggersOptions, Scheduler } from "./cron.ts";
export { triggerLabel } from "./label.ts";
export {
  createSignatureVerifier,
  GITHUB_SIGNATURE_HEADER,
  SIGNATURE_HEADER,
  signBody,
} from "./signature.ts";
export type { SignatureVerifier } from "./signature.ts";
export {
  assertTriggersSupported,
  SUPPORTED_TRIGGERS,
  UnsupportedTriggerError,
} from "./unsupported.ts";
export { prepareWebhooks, WebhookSecretError } from "./webhook.ts";
export type { WebhookRoute } from "./webhook.ts";
