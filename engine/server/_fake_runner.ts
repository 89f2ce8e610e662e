import type { RunOptions, RunResult, WorkflowRunner } from "../run/types.ts";

/** A call {@linkcode FakeRunner} received. */
export interface FakeRunCall {
  input: unknown;
  options: RunOptions;
}

/**
 * A scripted {@linkcode WorkflowRunner} for unit tests of the server and triggers: each run
 * waits until the test releases it (or its signal aborts), then returns a result built from
 * the input. No sandbox, no node code.
 *
 * @example
 * ```ts
 * import { FakeRunner } from "./_fake_runner.ts";
 * const runner = new FakeRunner();
 * const pending = runner.run({ n: 1 }, { runId: "r1" });
 * runner.release("r1");
 * console.assert((await pending).outputs.echo !== undefined);
 * ```
 */
export class FakeRunner implements WorkflowRunner {
  /** Every run call, in order. */
  readonly calls: FakeRunCall[] = [];
  /** When true, runs finish at once instead of waiting for {@linkcode FakeRunner.release}. */
  autoRelease = false;
  /** True after {@linkcode FakeRunner.close}. */
  closed = false;
  #waiting = new Map<string, () => void>();

  /**
   * Starts a fake run.
   *
   * @param input The trigger input (an object with `fail: true` makes the run fail).
   * @param options Run id and signal.
   * @returns The result once released or cancelled.
   */
  async run(input: unknown, options: RunOptions = {}): Promise<RunResult> {
    const runId = options.runId ?? crypto.randomUUID();
    this.calls.push({ input, options });
    const started = new Date();
    let cancelled = false;
    if (!this.autoRelease) {
      await new Promise<void>((resolve) => {
        this.#waiting.set(runId, resolve);
        options.signal?.addEventListener("abort", () => {
          cancelled = true;
          resolve();
        }, { once: true });
      });
      this.#waiting.delete(runId);
    }
    const fail = (input as { fail?: unknown } | null)?.fail === true;
    const status = cancelled ? "cancelled" : fail ? "failed" : "ok";
    const error = cancelled ? String(options.signal?.reason?.message) : "asked to fail";
    const finished = new Date();
    return {
      runId,
      success: status === "ok",
      outputs: status === "ok" ? { echo: input } : {},
      errors: status === "ok" ? {} : { echo: error },
      nodes: {
        echo: {
          status,
          attempts: 1,
          startedAt: started.toISOString(),
          durationMs: finished.getTime() - started.getTime(),
          ...(status === "ok" ? {} : { error }),
        },
      },
      timing: {
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
      },
    };
  }

  /**
   * Lets a waiting run finish.
   *
   * @param runId The run to release.
   * @returns `true` when a run with that id was waiting.
   */
  release(runId: string): boolean {
    const resolve = this.#waiting.get(runId);
    resolve?.();
    return resolve !== undefined;
  }

  /** Ids of runs waiting to be released. */
  get waiting(): string[] {
    return [...this.#waiting.keys()];
  }

  /**
   * Marks the runner closed.
   *
   * @returns A resolved promise.
   */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
