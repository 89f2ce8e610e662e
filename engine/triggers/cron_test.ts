import assert from "node:assert/strict";
import type { Trigger } from "../spec/schema.ts";
import { cronerScheduler, type CronTickOutcome, startCronTriggers } from "./cron.ts";

function manualScheduler() {
  const jobs: { schedule: string; tick: () => void; stopped: boolean }[] = [];
  return {
    jobs,
    scheduler: (schedule: string, tick: () => void) => {
      const job = { schedule, tick, stopped: false };
      jobs.push(job);
      return { stop: () => void (job.stopped = true) };
    },
  };
}

const triggers: Trigger[] = [
  { type: "manual" },
  { type: "cron", schedule: "*/5 * * * * *", input: { kind: "fast" } },
  { type: "cron", name: "nightly", schedule: "0 3 * * *" },
  { type: "webhook", path: "/hook" },
];

Deno.test("startCronTriggers schedules only the cron triggers, with their input", () => {
  const { jobs, scheduler } = manualScheduler();
  const inputs: unknown[] = [];
  startCronTriggers({
    triggers,
    scheduler,
    dispatch: (t, label) => (inputs.push([label, t.input]), Promise.resolve()),
  });
  assert.deepEqual(jobs.map((j) => j.schedule), ["*/5 * * * * *", "0 3 * * *"]);
  jobs[0]!.tick();
  jobs[1]!.tick();
  assert.deepEqual(inputs, [["cron:*/5 * * * * *", { kind: "fast" }], ["cron:nightly", undefined]]);
});

Deno.test("a cron tick is skipped while the trigger's previous run is still running", async () => {
  const { jobs, scheduler } = manualScheduler();
  const outcomes: CronTickOutcome[] = [];
  const pending: Array<() => void> = [];
  startCronTriggers({
    triggers,
    scheduler,
    dispatch: () => new Promise<void>((resolve) => pending.push(resolve)),
    onTick: (_label, outcome) => outcomes.push(outcome),
  });
  const tick = jobs[0]!.tick;
  tick();
  tick();
  assert.equal(pending.length, 1);
  assert.deepEqual(outcomes[1], {
    started: false,
    reason: "overlap",
    message: "the previous run of this trigger is still running",
  });
  jobs[1]!.tick(); // another trigger is independent
  assert.equal(pending.length, 2);
  pending[0]!();
  await new Promise((r) => setTimeout(r, 0));
  tick();
  assert.equal(pending.length, 3);
});

Deno.test("a cron tick the engine refuses is reported and does not block the next tick", () => {
  const { jobs, scheduler } = manualScheduler();
  const outcomes: CronTickOutcome[] = [];
  let refuse = true;
  let runs = 0;
  startCronTriggers({
    triggers,
    scheduler,
    dispatch: () => {
      if (refuse) throw new Error("too many concurrent runs");
      runs++;
      return new Promise(() => {});
    },
    onTick: (_label, outcome) => outcomes.push(outcome),
  });
  jobs[0]!.tick();
  assert.deepEqual(outcomes[0], {
    started: false,
    reason: "refused",
    message: "too many concurrent runs",
  });
  refuse = false;
  jobs[0]!.tick();
  assert.equal(runs, 1);
  assert.deepEqual(outcomes[1], { started: true });
});

Deno.test("stop() ends every cron schedule", () => {
  const { jobs, scheduler } = manualScheduler();
  startCronTriggers({ triggers, scheduler, dispatch: () => Promise.resolve() }).stop();
  assert.deepEqual(jobs.map((j) => j.stopped), [true, true]);
});

Deno.test("cronerScheduler fires a six-field (seconds) schedule every second", async () => {
  const times: number[] = [];
  const job = cronerScheduler("* * * * * *", () => times.push(Date.now()));
  await new Promise((r) => setTimeout(r, 2_300));
  job.stop();
  assert.ok(times.length >= 2 && times.length <= 3, `fired ${times.length} times`);
  assert.ok(times[1]! - times[0]! >= 900 && times[1]! - times[0]! <= 1_100);
});
