import { Counter, Gauge, Histogram, Registry } from "./_prom_client.ts";
import type { RunnerStats } from "../run/types.ts";
import type { RunRecord } from "./run_registry.ts";

/**
 * The engine's Prometheus metrics, in a registry of their own (never the global one), with a
 * `workflow` label on every series. Served as text by `GET /metrics`.
 *
 * Series: `tntc_runs_total{trigger,status}`, `tntc_run_duration_seconds{trigger}`,
 * `tntc_runs_in_flight`, `tntc_runs_rejected_total{reason}`, `tntc_node_results_total{node,status}`,
 * `tntc_http_requests_total{method,route,status}`, `tntc_sidecar_ready{sidecar}`,
 * `tntc_cron_skipped_total{trigger}`, `process_resident_memory_bytes`, `process_heap_used_bytes`,
 * and, when given the runner's counters, `tntc_sandboxes`, `tntc_sandboxes_busy` and
 * `tntc_sandboxes_stuck` (sandboxes whose thread node code holds: the engine drains and
 * restarts when it is above 0).
 *
 * @example
 * ```ts
 * import { EngineMetrics } from "./metrics.ts";
 * const metrics = new EngineMetrics("demo");
 * metrics.runRejected("limit");
 * console.assert((await metrics.text()).includes('tntc_runs_rejected_total{reason="limit",workflow="demo"} 1'));
 * ```
 */
export class EngineMetrics {
  #registry: Registry = new Registry();
  #runs: Counter;
  #duration: Histogram;
  #inFlight: Gauge;
  #rejected: Counter;
  #nodes: Counter;
  #http: Counter;
  #sidecar: Gauge;
  #cronSkipped: Counter;

  /**
   * Registers every series.
   *
   * @param workflow The workflow name, added as the `workflow` label.
   * @param runnerStats The runner's sandbox counters, read at each scrape (omit for none).
   */
  constructor(workflow: string, runnerStats?: () => RunnerStats | undefined) {
    const registers = [this.#registry];
    this.#registry.setDefaultLabels({ workflow });
    this.#runs = new Counter({
      name: "tntc_runs_total",
      help: "Finished runs by trigger and status.",
      labelNames: ["trigger", "status"],
      registers,
    });
    this.#duration = new Histogram({
      name: "tntc_run_duration_seconds",
      help: "Wall time of finished runs.",
      labelNames: ["trigger"],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    });
    this.#inFlight = new Gauge({ name: "tntc_runs_in_flight", help: "Runs now.", registers });
    this.#rejected = new Counter({
      name: "tntc_runs_rejected_total",
      help: "Runs refused: limit (429) or not_accepting (503).",
      labelNames: ["reason"],
      registers,
    });
    this.#nodes = new Counter({
      name: "tntc_node_results_total",
      help: "Node outcomes by node and status.",
      labelNames: ["node", "status"],
      registers,
    });
    this.#http = new Counter({
      name: "tntc_http_requests_total",
      help: "HTTP requests by method, route and status.",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.#sidecar = new Gauge({
      name: "tntc_sidecar_ready",
      help: "1 when the sidecar answered its health check at the last probe.",
      labelNames: ["sidecar"],
      registers,
    });
    this.#cronSkipped = new Counter({
      name: "tntc_cron_skipped_total",
      help: "Cron ticks skipped because the previous run was still going or was refused.",
      labelNames: ["trigger"],
      registers,
    });
    processGauges(registers);
    if (runnerStats) sandboxGauges(registers, runnerStats);
  }

  /** Counts a run that started. */
  runStarted(): void {
    this.#inFlight.inc();
  }

  /**
   * Counts a finished run and its nodes.
   *
   * @param record The finished run.
   * @param durationMs Its wall time.
   */
  runFinished(record: RunRecord, durationMs: number): void {
    this.#inFlight.dec();
    this.#runs.inc({ trigger: record.trigger, status: record.status });
    this.#duration.observe({ trigger: record.trigger }, durationMs / 1000);
    for (const [node, result] of Object.entries(record.result?.nodes ?? {})) {
      this.#nodes.inc({ node, status: result.status });
    }
  }

  /**
   * Counts a refused run.
   *
   * @param reason `limit` (429) or `not_accepting` (503).
   */
  runRejected(reason: "limit" | "not_accepting"): void {
    this.#rejected.inc({ reason });
  }

  /**
   * Counts an HTTP request.
   *
   * @param method The request method.
   * @param route The matched route pattern (not the raw path, to bound cardinality).
   * @param status The response status.
   */
  httpRequest(method: string, route: string, status: number): void {
    this.#http.inc({ method, route, status: String(status) });
  }

  /**
   * Records a sidecar's last health check.
   *
   * @param sidecar The sidecar name.
   * @param ready Whether it answered.
   */
  sidecarReady(sidecar: string, ready: boolean): void {
    this.#sidecar.set({ sidecar }, ready ? 1 : 0);
  }

  /**
   * Counts a skipped cron tick.
   *
   * @param trigger The trigger label, e.g. `cron:*\/5 * * * *`.
   */
  cronSkipped(trigger: string): void {
    this.#cronSkipped.inc({ trigger });
  }

  /**
   * The Prometheus text exposition of every series.
   *
   * @returns The text, as `GET /metrics` serves it.
   */
  text(): Promise<string> {
    return this.#registry.metrics();
  }

  /** The `Content-Type` of {@linkcode EngineMetrics.text} (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.#registry.contentType;
  }
}

function sandboxGauges(registers: Registry[], stats: () => RunnerStats | undefined): void {
  const series = [
    ["tntc_sandboxes", "Live sandboxes (Workers), idle or busy.", "sandboxes"],
    ["tntc_sandboxes_busy", "Sandboxes running a run or a node.", "busy"],
    [
      "tntc_sandboxes_stuck",
      "Sandboxes terminated while node code held their thread (e.g. a CPU-bound loop); " +
      "above 0 the engine drains and exits for a restart.",
      "stuckSandboxes",
    ],
  ] as const;
  for (const [name, help, key] of series) {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(stats()?.[key] ?? 0);
      },
    });
  }
}

function processGauges(registers: Registry[]): void {
  new Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    registers,
    collect() {
      this.set(Deno.memoryUsage().rss);
    },
  });
  new Gauge({
    name: "process_heap_used_bytes",
    help: "V8 heap in use, in bytes.",
    registers,
    collect() {
      this.set(Deno.memoryUsage().heapUsed);
    },
  });
}
