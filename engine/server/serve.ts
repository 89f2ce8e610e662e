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

/** A running engine. */
export interface EngineHandle {
  /** The bound address. */
  addr: Deno.NetAddr;
  /** Resolves once the sidecar wait is over and cron triggers are scheduled. */
  started: Promise<void>;
  /**
   * Graceful stop: refuse new runs (503), stop cron, let in-flight runs finish within the
   * grace period, cancel the rest, close the listener and the runner. Idempotent.
   */
  shutdown(reason: string): Promise<{ finished: number; cancelled: number }>;
  /** Cancels every run in flight now (a second signal during shutdown). */
  cancelAll(reason: string): number;
}

/**
 * Serves a workflow: HTTP app, webhook and cron triggers, start-up wait for sidecars (the
 * listener answers `/health` meanwhile; runs get 503 until the wait is over).
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
  const metrics = new EngineMetrics(workflow.name);
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

  let stopping: Promise<{ finished: number; cancelled: number }> | undefined;
  const shutdown = (reason: string) =>
    stopping ??= (async () => {
      log.info("shutting down", { reason, inFlight: runs.inFlight, graceMs: options.graceMs });
      stopWaiting.abort();
      starting = undefined;
      runs.close("engine is shutting down");
      await started;
      cron?.stop();
      const report = await runs.drain(options.graceMs);
      await server.shutdown();
      await options.runner.close();
      log.info("stopped", report);
      return report;
    })();
  return { addr, started, shutdown, cancelAll: (reason) => runs.cancelAll(reason) };
}
