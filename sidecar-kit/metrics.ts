/**
 * Prometheus metrics of a sidecar (via `prom-client`): jobs by name and outcome, durations, in
 * flight, queue length. The health route never touches them.
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The metrics of one sidecar instance, in their own registry. */
export class SidecarMetrics {
  /** The registry served at `/metrics`. */
  readonly registry: Registry = new Registry();
  #jobs: Counter<"job" | "outcome">;
  #duration: Histogram<"job" | "outcome">;
  #inFlight: Gauge<"job">;
  #rejected: Counter<"job">;

  /**
   * @param queueLength Read at scrape time for the `sidecar_queue_length` gauge.
   * @param labels Constant labels (e.g. `{ sidecar: "ffmpeg" }`).
   */
  constructor(queueLength: () => number, labels: Record<string, string> = {}) {
    const registers = [this.registry];
    this.registry.setDefaultLabels(labels);
    this.#jobs = new Counter({
      name: "sidecar_jobs_total",
      help: "Finished jobs by job name and outcome (succeeded, failed, timed_out, cancelled).",
      labelNames: ["job", "outcome"],
      registers,
    });
    this.#duration = new Histogram({
      name: "sidecar_job_duration_seconds",
      help: "Job run time in seconds by job name and outcome.",
      labelNames: ["job", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.#inFlight = new Gauge({
      name: "sidecar_jobs_in_flight",
      help: "Jobs currently running by job name.",
      labelNames: ["job"],
      registers,
    });
    this.#rejected = new Counter({
      name: "sidecar_jobs_rejected_total",
      help: "Jobs rejected with 429 because the queue was full.",
      labelNames: ["job"],
      registers,
    });
    new Gauge({
      name: "sidecar_queue_length",
      help: "Jobs admitted and waiting for a slot.",
      registers,
      collect() {
        this.set(queueLength());
      },
    });
  }

  /** A job got its slot. */
  started(job: string): void {
    this.#inFlight.inc({ job });
  }

  /** A job ended (`ran` false when it never left the queue). */
  finished(job: string, outcome: string, seconds: number, ran: boolean): void {
    if (ran) this.#inFlight.dec({ job });
    this.#jobs.inc({ job, outcome });
    this.#duration.observe({ job, outcome }, seconds);
  }

  /** A job was refused with 429. */
  rejected(job: string): void {
    this.#rejected.inc({ job });
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content type of {@linkcode SidecarMetrics.text}. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
