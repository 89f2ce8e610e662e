import type { Trigger } from "../spec/schema.ts";

/**
 * The workflow declares triggers this engine cannot serve yet (`queue`). The engine refuses
 * to start rather than silently ignore them.
 *
 * @example
 * ```ts
 * import { UnsupportedTriggerError } from "./unsupported.ts";
 * const err = new UnsupportedTriggerError([{ index: 1, trigger: { type: "queue", subject: "jobs" } }]);
 * console.assert(err.message.startsWith('triggers[1]: queue trigger (subject "jobs") is not supported'));
 * ```
 */
export class UnsupportedTriggerError extends Error {
  /** Every unsupported trigger, with its index in `triggers:`. */
  readonly triggers: { index: number; trigger: Trigger }[];

  /**
   * Creates the error; the message names every trigger.
   *
   * @param triggers The unsupported triggers and their indexes.
   */
  constructor(triggers: { index: number; trigger: Trigger }[]) {
    super(
      triggers.map(({ index, trigger }) =>
        `triggers[${index}]: ${trigger.type} trigger` +
        (trigger.type === "queue" ? ` (subject "${trigger.subject}")` : "") +
        " is not supported by this engine yet; the engine refuses to start rather than ignore " +
        "it. Remove it, or use a manual, cron or webhook trigger."
      ).join("\n"),
    );
    this.name = "UnsupportedTriggerError";
    this.triggers = triggers;
  }
}

/** Trigger types the engine serves. */
export const SUPPORTED_TRIGGERS: readonly Trigger["type"][] = ["manual", "cron", "webhook"];

/**
 * Checks that the engine can serve every declared trigger.
 *
 * @param triggers The workflow's triggers.
 * @throws {UnsupportedTriggerError} Listing every unsupported trigger at once.
 * @example
 * ```ts
 * import { assertTriggersSupported } from "./unsupported.ts";
 * assertTriggersSupported([{ type: "manual" }, { type: "cron", schedule: "* * * * *" }]);
 * ```
 */
export function assertTriggersSupported(triggers: readonly Trigger[]): void {
  const bad = triggers
    .map((trigger, index) => ({ index, trigger }))
    .filter(({ trigger }) => !SUPPORTED_TRIGGERS.includes(trigger.type));
  if (bad.length > 0) throw new UnsupportedTriggerError(bad);
}
