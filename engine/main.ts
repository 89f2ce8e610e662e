/**
 * The engine container's entrypoint: loads the workflow from its app directory and serves it
 * (HTTP, webhook and cron triggers), or with `--once` runs it a single time. It runs under the
 * Deno flags derived from the workflow, never `-A`: see `engineCommand()` in
 * `engine/server/engine_command.ts` for the exact command line.
 *
 * ```sh
 * deno run --no-prompt --unstable-worker-options --config=/opt/tntc/deno.json \
 *   --allow-env=LOG_TOKENS,LOG_STREAM,TNTC_DEV --allow-net=... --allow-read=... --allow-write=... \
 *   /opt/tntc/engine/main.ts --workflow /app --listen 0.0.0.0:8080 \
 *   --secrets /var/run/secrets --shared /shared --tmp /tmp
 * ```
 *
 * Exit codes: 0 after a clean (drained) shutdown or a successful `--once` run; 1 when the
 * workflow cannot be served or the `--once` run failed; 2 on bad engine arguments; 75
 * (`EXIT_RESTART`, EX_TEMPFAIL) after a drain for restart: node code held a sandbox's thread
 * past its timeout (e.g. `while (true) {}`), Deno cannot stop that thread from inside the
 * process, so the engine refused new runs (503), let in-flight runs finish within the grace
 * period and exited, which ends the thread. Restart it on that code (Kubernetes
 * `restartPolicy: Always`; `tntc dev` does). The process always ends through `Deno.exit`, so
 * a spinning Worker thread never keeps it alive.
 *
 * @module
 */
import { parseRunInput } from "./run/json_data.ts";
import { createRunner } from "./run/mod.ts";
import { loadSecrets } from "./run/secrets.ts";
import type { WorkflowRunner } from "./run/types.ts";
import {
  ENGINE_USAGE,
  type EngineConfig,
  parseEngineArgs,
  splitListen,
} from "./server/engine_args.ts";
import { batchedLines, createEngineLogger, type EngineLogger } from "./server/log.ts";
import { startEngine } from "./server/serve.ts";
import { EXIT_RESTART } from "./server/stuck_drain.ts";
import { describeStartupError } from "./server/startup_error.ts";
import { loadWorkflow } from "./spec/load.ts";
import type { LoadedWorkflow } from "./spec/load.ts";
import { assertTriggersSupported } from "./triggers/unsupported.ts";

/**
 * Runs the engine process.
 *
 * @param argv The engine's arguments (see `ENGINE_USAGE`).
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let config: EngineConfig;
  try {
    config = parseEngineArgs(argv);
  } catch (err) {
    writeLine(Deno.stderr, `engine: ${(err as Error).message}\n\n${ENGINE_USAGE}`);
    return 2;
  }
  // With --once, stdout carries only the RunResult JSON; logs go to stderr. Lines of a few ms
  // go out in one write; `Deno.exit` flushes them (unload).
  const sink = batchedLines(config.once ? Deno.stderr : Deno.stdout);
  const log = createEngineLogger({ level: config.logLevel, ...sink });
  let loaded: LoadedWorkflow;
  let runner: WorkflowRunner;
  let secrets: Awaited<ReturnType<typeof loadSecrets>>;
  try {
    loaded = await loadWorkflow(config.layout.appDir);
    if (!config.once) assertTriggersSupported(loaded.workflow.triggers);
    const sources = { dir: config.layout.secretsDir, localFile: config.localSecretsFile };
    secrets = await loadSecrets(sources);
    runner = await createRunner(loaded, {
      layout: config.layout,
      secrets,
      logLevel: config.logLevel,
      log: (record) => {
        sink.write(JSON.stringify(record));
        if (record.level === "warn" || record.level === "error") sink.flush();
      },
    });
  } catch (err) {
    log.error("cannot start the engine", describeStartupError(err));
    return 1;
  }
  if (config.once) return await runOnce(runner, log);
  return await serve(loaded, runner, secrets, config, log);
}

async function runOnce(runner: WorkflowRunner, log: EngineLogger): Promise<number> {
  const abort = new AbortController();
  const stop = (signal: Deno.Signal) => () =>
    abort.abort(new DOMException(`cancelled by ${signal}`, "AbortError"));
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, stop(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const text = await new Response(Deno.stdin.readable).text();
    let input: unknown;
    try {
      input = parseRunInput(text);
    } catch (err) {
      log.error("the input is unusable", { error: (err as Error).message });
      return 1;
    }
    const result = await runner.run(input, { signal: abort.signal, logFields: { trigger: "cli" } });
    writeLine(Deno.stdout, JSON.stringify(result, null, 2));
    return result.success ? 0 : 1;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
    await runner.close();
  }
}

async function serve(
  loaded: LoadedWorkflow,
  runner: WorkflowRunner,
  secrets: Awaited<ReturnType<typeof loadSecrets>>,
  config: EngineConfig,
  log: EngineLogger,
): Promise<number> {
  const dev = (Deno.env.get("TNTC_DEV") ?? "") !== "";
  if (dev && (loaded.workflow.sidecars?.length ?? 0) > 0) {
    log.info("dev mode: sidecars are not started locally, not waiting for them", {
      sidecars: loaded.workflow.sidecars?.map((s) => s.name),
    });
  }
  let engine;
  try {
    engine = await startEngine({
      workflow: loaded.workflow,
      runner,
      log,
      ...splitListen(config.layout.listen),
      secrets,
      maxConcurrentRuns: config.maxConcurrentRuns,
      retainRuns: config.retainRuns,
      maxBodyBytes: config.maxBodyBytes,
      graceMs: config.graceMs,
      sidecarWaitMs: dev ? 0 : config.sidecarWaitMs,
    });
  } catch (err) {
    log.error("cannot start the engine", describeStartupError(err, config.layout.listen));
    await runner.close();
    return 1;
  }
  let signals = 0;
  const onSignal = (signal: Deno.Signal) => () => {
    if (++signals === 1) {
      // Its outcome is engine.stopped, awaited below.
      engine.shutdown(signal).catch(() => {});
    } else {
      const n = engine.cancelAll(`cancelled: engine received ${signal} again while draining`);
      log.warn("second signal: cancelling in-flight runs now", { signal, cancelled: n });
    }
  };
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  try {
    const report = await engine.stopped;
    if (!report.restart) return 0;
    log.warn("exiting for a restart", { exitCode: EXIT_RESTART, reason: report.reason });
    return EXIT_RESTART;
  } finally {
    for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  }
}

const encoder = new TextEncoder();

function writeLine(stream: { writeSync(p: Uint8Array): number }, line: string): void {
  let bytes = encoder.encode(line + "\n");
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

if (import.meta.main) Deno.exit(await main(Deno.args));
