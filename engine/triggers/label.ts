import type { Trigger } from "../spec/schema.ts";

/**
 * A short, stable label for a trigger, used in run records, logs and metric labels:
 * `manual`, `cron:<name or schedule>`, `webhook:<path>`, `queue:<subject>`.
 *
 * @param trigger The trigger.
 * @returns The label.
 * @example
 * ```ts
 * import { triggerLabel } from "./label.ts";
 * console.assert(triggerLabel({ type: "webhook", path: "/hooks/gh" }) === "webhook:/hooks/gh");
 * console.assert(triggerLabel({ type: "cron", name: "nightly", schedule: "0 3 * * *" }) === "cron:nightly");
 * ```
 */
export function triggerLabel(trigger: Trigger): string {
  switch (trigger.type) {
    case "manual":
      return "manual";
    case "cron":
      return `cron:${trigger.name ?? trigger.schedule}`;
    case "webhook":
      return `webhook:${trigger.path}`;
    case "queue":
      return `queue:${trigger.subject}`;
  }
}
