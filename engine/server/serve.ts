import type { WorkflowRunner } from "../run/types.ts";
import type { Workflow } from "../spec/schema.ts";
import { type Scheduler, startCronTriggers } from "../triggers/cron.ts";
import { assertTriggersSupported } from "../triggers/unsupported.ts";
import { prepareWebhooks } from "../triggers/webhook.ts";
import { createEngineApp } from "./app.ts";
import type { EngineLogger } from "./log.ts";
import { EngineMetrics } from "./metrics.ts";
import { type ProbeOptions, probeSidecars } from "./readiness.ts";
import { RunRegistry } from "./run_registry.ts";
import { EXIT_RESTART, STUCK_DRAIN_REASON, watchStuckSandboxes } from "./stuck_drain.ts";
import { waitForSidecars } from "./wait_for_sidecars.ts";

/** Options of {@linkcode startEngine}. */
export interface StartEngineOptions {
  /** The validated workflow (triggers, sidecars, name). */
  workflow: Workflow;
  /** Runs it (from `createRunner`). */
  runner: WorkflowRunner;
  /** Engine log lines. */
  log: EngineLogger;
  /** Where to listen; port 0 picks a free port (see {@linkcode EngineHandle.addr}). */
  hostname: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Secrets by name then key, for webhook signature secrets. */
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Concurrent runs before 429. */
  maxConcurrentRuns: number;
  /** Finished runs kept for `GET /runs/:id`. */
  retainRuns: number;
  /** Request body limit in bytes (413 above). */
  maxBodyBytes: number;
  /** How long in-flight runs may finish after shutdown starts. */
  graceMs: number;
  /** Bound on the start-up wait for sidecars; 0 skips the wait. */
  sidecarWaitMs: number;
  /** Sidecar probe clients (tests). */
  probe?: ProbeOptions;
  /** Cron scheduler (tests). */
  scheduler?: Scheduler;
}

/** How an engine stopped: {@linkcode EngineHandle.stopped}. */
export interface EngineStopReport {
  /** Why it stopped: a signal name, or {@linkcode STUCK_DRAIN_REASON}. */
  reason: string;
  /** True when it stopped to shed a stuck sandbox: exit with {@linkcode EXIT_RESTART}. */
  restart: boolean;
  /** In-flight runs that finished on their own during the drain. */
  finished: number;
  /** In-flight runs cancelled when the grace period ended. */
  cancelled: number;
}

/** A running engine. */
export interface EngineHandle {
  /** The bound address. */
  addr: Deno.NetAddr;
  /** Resolves once the sidecar wait is over and cron triggers are scheduled. */
  started: Promise<void>;
  /**
   * Graceful stop: refuse new runs (503), stop cron, let in-flight runs finish within the
   * grace period, cancel the rest, close the listener and the runner. Idempotent: a call
   * during a stop returns that stop, and cuts a longer drain (the drain for restart after a
   * stuck sandbox) to the grace period.
   */
  shutdown(reason: string): Promise<EngineStopReport>;
  /**
   * Resolves once the engine has stopped, whoever started the stop: {@linkcode
   * EngineHandle.shutdown}, or the engine itself after a sandbox got stuck in a CPU-bound loop
   * (`restart: true`; it refused new runs with 503 and drained the others first).
   */
  stopped: Promise<EngineStopReport>;
  /** Cancels every run in flight now (a second signal during shutdown). */
  cancelAll(reason: string): number;
}

/**
 * Serves a workflow: HTTP app, webhook and cron triggers, start-up wait for sidecars (the
 * listener answers `/health` meanwhile; runs get 503 until the wait is over).
 *
 * When the runner reports a stuck sandbox (`stats().stuckSandboxes > 0`: node code held a
 * Worker's thread past its deadline, and Deno cannot stop that thread), the engine drains for a
 * restart: `POST /run` gets 503 with `Retry-After`, `/ready` 503 with the reason
 * {@linkcode STUCK_DRAIN_REASON}, `/health` stays 200, in-flight runs may finish on their own
 * limits (`WorkflowRunner.longestRunMs`, at least the grace period; a later shutdown, e.g.
 * SIGTERM, shortens that to its grace period), then {@linkcode EngineHandle.stopped} resolves with `restart: true` and the process should
 * exit with {@linkcode EXIT_RESTART}, which ends the spinning thread.
 *
 * @param options Workflow, runner, logger, address, secrets and limits.
 * @returns The handle once listening.
 * @throws {UnsupportedTriggerError} When the workflow declares a queue trigger.
 * @throws {WebhookSecretError} When a webhook's secret reference cannot be resolved.
 * @example
 * ```ts ignore
 * const engine = await startEngine({ workflow, runner, log, hostname: "127.0.0.1", port: 0, ... });
 * await engine.shutdown("SIGTERM");
 * ```
 */
export async function startEngine(options: StartEngineOptions): Promise<EngineHandle> {
  const { workflow, log } = options;
  assertTriggersSupported(workflow.triggers);
  const webhooks = await prepareWebhooks(workflow.triggers, options.secrets);
  const metrics = new EngineMetrics(workflow.name, () => options.runner.stats?.());
  const runs = new RunRegistry({
    runner: options.runner,
    maxConcurrent: options.maxConcurrentRuns,
    retain: options.retainRuns,
    onStart: () => metrics.runStarted(),
    onFinish(record, durationMs, cause) {
      metrics.runFinished(record, durationMs);
      const fields = {
        runId: record.runId,
        trigger: record.trigger,
        status: record.status,
        durationMs: Math.round(durationMs * 10) / 10,
        ...(record.requestId === undefined ? {} : { requestId: record.requestId }),
      };
      if (cause !== undefined) {
        log.error("run crashed the engine's runner", { ...fields, error: cause });
      } else log.info("run finished", fields);
      stuck.check(); // a timed-out node may have left its sandbox's thread spinning
    },
  });
  const sidecars = workflow.sidecars ?? [];
  const probe = () => probeSidecars(sidecars, options.probe);
  let starting: string | undefined = sidecars.length > 0 && options.sidecarWaitMs > 0
    ? `engine is starting: waiting for sidecars ${sidecars.map((s) => s.name).join(", ")}`
    : undefined;
  const app = createEngineApp({
    runs,
    metrics,
    log,
    sidecars,
    probe,
    refusal: () => starting,
    webhooks,
    maxBodyBytes: options.maxBodyBytes,
  });
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
  }, app.fetch);
  const addr = await listening.promise;
  log.info("listening", {
    url: `http://${addr.hostname}:${addr.port}`,
    workflow: workflow.name,
    triggers: workflow.triggers.map((t) => t.type),
  });

  const stopWaiting = new AbortController();
  let cron: { stop(): void } | undefined;
  const started = (async () => {
    if (starting !== undefined) {
      await waitForSidecars({
        probe,
        timeoutMs: options.sidecarWaitMs,
        log,
        signal: stopWaiting.signal,
      });
      starting = undefined;
    }
    if (stopWaiting.signal.aborted) return;
    cron = startCronTriggers({
      triggers: workflow.triggers,
      scheduler: options.scheduler,
      dispatch: (_trigger, label) => runs.start(_trigger.input ?? {}, { trigger: label }).done,
      onTick(label, outcome) {
        if (outcome.started) return;
        metrics.cronSkipped(label);
        log.warn("cron tick skipped", { trigger: label, reason: outcome.message });
      },
    });
  })();

  let stopping: Promise<EngineStopReport> | undefined;
  let restart = false;
  const stopped = Promise.withResolvers<EngineStopReport>();
  stopped.promise.catch(() => {}); // a failed stop rejects shutdown() for its caller too
  /**
   * Drains and stops, once: later calls only shorten the drain to their grace (a SIGTERM
   * during a drain for restart, which waits longer than the SIGTERM grace period).
   */
  const shutdown = (reason: string, graceMs = options.graceMs) => {
    if (stopping) {
      runs.hurryDrain(graceMs);
      return stopping;
    }
    return stopping = (async () => {
      log.info("shutting down", { reason, inFlight: runs.inFlight, graceMs });
      stuck.stop();
      stopWaiting.abort();
      starting = undefined;
      runs.close("engine is shutting down");
      await started;
      cron?.stop();
      const report = await runs.drain(graceMs);
      await server.shutdown();
      await options.runner.close();
      const stop = { reason, restart, ...report };
      log.info("stopped", { ...stop, ...(restart ? { exitCode: EXIT_RESTART } : {}) });
      return stop;
    })();
  };
  const stuck = watchStuckSandboxes({
    stats: () => options.runner.stats?.(),
    onStuck(stuckSandboxes) {
      restart = true;
      runs.close(STUCK_DRAIN_REASON);
      // No outside deadline here: runs in flight may finish on their own limits.
      const graceMs = Math.max(options.graceMs, options.runner.longestRunMs ?? 0);
      log.error(STUCK_DRAIN_REASON, {
        stuckSandboxes,
        exitCode: EXIT_RESTART,
        inFlight: runs.inFlight,
        graceMs,
      });
      shutdown(STUCK_DRAIN_REASON, graceMs).then(stopped.resolve, stopped.reject);
    },
  });
  return {
    addr,
    started,
    shutdown(reason) {
      const done = shutdown(reason);
      done.then(stopped.resolve, stopped.reject);
      return done;
    },
    stopped: stopped.promise,
    cancelAll: (reason) => runs.cancelAll(reason),
  };
}
