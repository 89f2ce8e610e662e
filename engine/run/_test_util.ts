// Helpers for this package's tests: temporary workflows, a fake clock and a recording fetch.
// Injected through RunnerOptions (`sandbox: false`); nothing global is patched.
import { derivePermissions, type EngineLayout, toDenoFlags } from "../flags/derive.ts";
import { type LoadedWorkflow, loadWorkflow } from "../spec/load.ts";
import type { Clock, LogRecord, RunnerOptions } from "./options.ts";
import { createRunner, SANDBOX_CODE_DIR } from "./runner.ts";
import type { WorkflowRunner } from "./types.ts";

/** A workflow written to a temporary directory; disposing it removes the directory. */
export interface TempWorkflow extends AsyncDisposable {
  dir: string;
  loaded: LoadedWorkflow;
  layout: EngineLayout;
}

/** Writes `workflow.yaml` and the given files (paths relative to the directory) and loads it. */
export async function tempWorkflow(
  yaml: string,
  files: Record<string, string>,
): Promise<TempWorkflow> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "run_test_" }));
  await Deno.writeTextFile(`${dir}/workflow.yaml`, yaml);
  for (const [path, text] of Object.entries(files)) {
    const file = `${dir}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  await Deno.mkdir(`${dir}/tmp`);
  return {
    dir,
    loaded: await loadWorkflow(dir),
    layout: {
      appDir: dir,
      secretsDir: `${dir}/secrets`,
      sharedDir: `${dir}/shared`,
      tmpDir: `${dir}/tmp`,
      listen: "127.0.0.1:0",
    },
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** An unsandboxed runner of `wf` that records its log records in `logs`. */
export async function inlineRunner(
  wf: TempWorkflow,
  options: Partial<RunnerOptions> = {},
  logs: LogRecord[] = [],
): Promise<WorkflowRunner & AsyncDisposable> {
  const runner = await createRunner(wf.loaded, {
    layout: wf.layout,
    sandbox: false,
    secrets: {},
    log: (record) => logs.push(record),
    ...options,
  });
  return Object.assign(runner, { [Symbol.asyncDispose]: () => runner.close() });
}

/**
 * A clock whose time moves only when slept on. Every sleep is recorded, still yields one
 * macrotask (so timers and aborts elsewhere get their turn) and honours its signal.
 */
export class FakeClock implements Clock {
  /** Every `sleep(ms)` in call order. */
  readonly sleeps: number[] = [];
  #now: number;

  constructor(start: number = Date.UTC(2030, 0, 1)) {
    this.#now = start;
  }

  now = (): number => this.#now;

  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    await new Promise((resolve) => setTimeout(resolve, 0));
    signal?.throwIfAborted();
    this.#now += ms;
  };
}

/** What a {@linkcode recordingFetch} answers with, per request (numbered from 0). */
export type Answer = (request: Request, n: number) => Response | Promise<Response>;

/** A fetch that records every request (as `Request`s) and answers through `answer`. */
export function recordingFetch(answer: Answer): typeof fetch & { requests: Request[] } {
  const requests: Request[] = [];
  const fake = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    try {
      return Promise.resolve(answer(request.clone(), requests.length - 1));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return Object.assign(fake as typeof fetch, { requests });
}

/** The error Deno's fetch rejects with when nothing listens on the port. */
export function connectionRefused(url: string): TypeError {
  return new TypeError("fetch failed", {
    cause: new Error(
      `error sending request for url (${url}): client error (Connect): ` +
        "tcp connect error: Connection refused (os error 111)",
    ),
  });
}

const DRIVER = new URL("./testdata/engine_driver.ts", import.meta.url).pathname;

/**
 * `deno run` arguments for the test engine driver: exactly the permissions derived from the
 * workflow in `dir` for `layout` (plus read access to the sandbox code), one run per input.
 */
export async function driverArgs(
  dir: string,
  layout: EngineLayout,
  inputs: unknown[],
): Promise<string[]> {
  const perms = derivePermissions((await loadWorkflow(dir)).workflow, layout);
  perms.read.push(SANDBOX_CODE_DIR);
  return [
    "run",
    "--no-prompt",
    "--unstable-worker-options",
    "--allow-env=LOG_TOKENS,LOG_STREAM,TNTC_DEV",
    ...toDenoFlags(perms),
    DRIVER,
    dir,
    JSON.stringify(layout),
    ...inputs.map((i) => JSON.stringify(i)),
  ];
}
