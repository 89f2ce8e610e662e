/**
 * A testcontainers wait strategy that polls an HTTP health URL on the host's
 * loopback. Port-based strategies cannot work with host networking (there are no
 * mapped ports), so readiness is what the server itself reports.
 *
 * @module
 */

import type { BoundPorts, WaitStrategy } from "testcontainers";
import { runDocker } from "./_docker_cli.ts";

/** The part of a dockerode container this strategy uses. */
interface InspectableContainer {
  id: string;
  inspect(): Promise<{ State: { Running: boolean; Status: string; ExitCode: number } }>;
}

/** Waits until `GET url` answers 200, failing early when the container exits. */
export class HealthUrlWaitStrategy implements WaitStrategy {
  #timeoutMs: number;
  #timeoutSet = false;

  /**
   * @param url The health URL, e.g. `http://127.0.0.1:9000/health`.
   * @param timeoutMs How long to wait for a 200 before giving up.
   * @param intervalMs Pause between attempts.
   */
  constructor(readonly url: string, timeoutMs = 60_000, readonly intervalMs = 100) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Polls until ready.
   *
   * @param container The created, started container.
   * @param _boundPorts Unused: host networking maps no ports.
   * @returns Resolves once the URL answered 200.
   * @throws {Error} When the container stops or the time runs out; the message holds
   * the last answer (or connection error) and the tail of the container's log.
   */
  async waitUntilReady(container: InspectableContainer, _boundPorts: BoundPorts): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    let last = "no attempt yet";
    while (Date.now() < deadline) {
      try {
        const response = await fetch(this.url, { signal: AbortSignal.timeout(2_000) });
        const body = await response.text();
        if (response.status === 200) return;
        last = `HTTP ${response.status} ${body.slice(0, 200)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      const { State } = await container.inspect();
      if (!State.Running) {
        throw new Error(
          `container ${
            container.id.slice(0, 12)
          } exited (status ${State.Status}, exit code ${State.ExitCode}) before ` +
            `${this.url} answered 200; last attempt: ${last}\n${await logTail(container.id)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
    throw new Error(
      `${this.url} did not answer 200 within ${this.#timeoutMs} ms; last attempt: ${last}\n` +
        await logTail(container.id),
    );
  }

  /**
   * @param startupTimeoutMs The new limit.
   * @returns This strategy.
   */
  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  /** @returns Whether a timeout was set through {@linkcode withStartupTimeout}. */
  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  /** @returns The current limit in milliseconds. */
  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

async function logTail(id: string): Promise<string> {
  const result = await runDocker(["logs", "--tail", "40", id]);
  const text = `${result.stdout}${result.stderr}`.trim();
  return text === "" ? "(container log is empty)" : `container log (last 40 lines):\n${text}`;
}
