import { Cron } from "croner";
import type { Trigger } from "../spec/schema.ts";
import { triggerLabel } from "./label.ts";

/** A cron trigger of `workflow.yaml`. */
export type CronTrigger = Extract<Trigger, { type: "cron" }>;

/** Calls `tick` on every match of a cron expression until stopped. */
export type Scheduler = (schedule: string, tick: () => void) => { stop(): void };

/**
 * The real scheduler: croner. Five fields (minute first) or six (seconds first), in the
 * engine's local time zone (UTC in the engine image).
 *
 * @param schedule The cron expression.
 * @param tick Called on every match.
 * @returns A handle whose `stop()` ends the schedule.
 * @throws {TypeError} When croner rejects the expression (validation catches this earlier).
 * @example
 * ```ts
 * import { cronerScheduler } from "./cron.ts";
 * const job = cronerScheduler("0 0 1 1 *", () => {});
 * job.stop();
 * ```
 */
export function cronerScheduler(schedule: string, tick: () => void): { stop(): void } {
  const job = new Cron(schedule, { catch: true }, tick);
  return { stop: () => job.stop() };
}

/** What happened on one cron tick. */
export type CronTickOutcome =
  | { started: true }
  | { started: false; reason: "overlap" | "refused"; message: string };

/** Options of {@linkcode startCronTriggers}. */
export interface CronTriggersOptions {
  /** Every trigger of the workflow; only the cron ones are scheduled. */
  triggers: readonly Trigger[];
  /**
   * Starts a run for a trigger: returns a promise that settles when the run ends, or throws
   * when the engine refuses the run (limit reached, shutting down).
   */
  dispatch(trigger: CronTrigger, label: string): Promise<unknown>;
  /** Told about every tick (for logs and metrics). */
  onTick?(label: string, outcome: CronTickOutcome): void;
  /** The scheduler (default {@linkcode cronerScheduler}); tests inject a manual one. */
  scheduler?: Scheduler;
}

/**
 * Schedules every cron trigger inside the engine. A tick that comes while the same trigger's
 * previous run is still going is skipped (no overlapping runs), as is a tick the engine
 * refuses; both are reported through `onTick`.
 *
 * @param options Triggers, dispatcher, tick observer and scheduler.
 * @returns A handle whose `stop()` ends every schedule (runs in flight continue).
 * @example
 * ```ts
 * import { startCronTriggers } from "./cron.ts";
 * const ticks: Array<() => void> = [];
 * let runs = 0;
 * const cron = startCronTriggers({
 *   triggers: [{ type: "cron", schedule: "* * * * * *" }],
 *   dispatch: () => (runs++, new Promise(() => {})),
 *   scheduler: (_s, tick) => (ticks.push(tick), { stop() {} }),
 * });
 * ticks[0]!();
 * ticks[0]!();
 * console.assert(runs === 1); // the second tick overlapped the first run and was skipped
 * cron.stop();
 * ```
 */
export function startCronTriggers(options: CronTriggersOptions): { stop(): void } {
  const scheduler = options.scheduler ?? cronerScheduler;
  const jobs = options.triggers
    .filter((t): t is CronTrigger => t.type === "cron")
    .map((trigger) => {
      const label = triggerLabel(trigger);
      let running = false;
      return scheduler(trigger.schedule, () => {
        if (running) {
          options.onTick?.(label, {
            started: false,
            reason: "overlap",
            message: "the previous run of this trigger is still running",
          });
          return;
        }
        let done: Promise<unknown>;
        try {
          done = options.dispatch(trigger, label);
        } catch (err) {
          options.onTick?.(label, {
            started: false,
            reason: "refused",
            message: (err as Error).message,
          });
          return;
        }
        running = true;
        options.onTick?.(label, { started: true });
        done.catch(() => {}).finally(() => running = false);
      });
    });
  return { stop: () => jobs.forEach((job) => job.stop()) };
}
