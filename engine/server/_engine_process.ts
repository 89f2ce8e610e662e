// Test helper: starts the real engine as a `deno run` subprocess with exactly the flags
// `engineCommand` derives, on a random loopback port, and follows its JSON log lines.
import type { EngineLayout } from "../flags/derive.ts";
import { loadWorkflow } from "../spec/load.ts";
import { engineCommand, localEngineInstall } from "./engine_command.ts";

/** A running engine process under test. */
export interface EngineProcess {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  child: Deno.ChildProcess;
  argv: string[];
  layout: EngineLayout;
  /** Every JSON log line so far (stdout). */
  lines: Record<string, unknown>[];
  /** Everything written to stderr. */
  stderr: () => string;
  /** Resolves with the first log line matching, or rejects after `timeoutMs`. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<
    Record<string, unknown>
  >;
  /** Sends a signal. */
  kill(signal: Deno.Signal): void;
  /** Kills (if needed), waits for exit, removes temp dirs. */
  cleanup(): Promise<Deno.CommandStatus>;
}

/**
 * Starts the engine for the workflow in `dir` with temp secrets/shared/tmp dirs.
 * Resolves once the engine logged `listening` (or rejects with its output if it exited).
 */
export async function startEngineProcess(
  dir: string,
  options: { engineArgs?: string[]; secrets?: Record<string, Record<string, string>> } = {},
): Promise<EngineProcess> {
  const loaded = await loadWorkflow(dir);
  const temp = await Deno.makeTempDir({ prefix: "tntc-engine-test-" });
  const layout: EngineLayout = {
    appDir: loaded.dir,
    secretsDir: `${temp}/secrets`,
    sharedDir: `${temp}/shared`,
    tmpDir: `${temp}/tmp`,
    listen: "127.0.0.1:0",
  };
  for (const d of [layout.secretsDir, layout.sharedDir, layout.tmpDir]) await Deno.mkdir(d);
  for (const [name, keys] of Object.entries(options.secrets ?? {})) {
    await Deno.mkdir(`${layout.secretsDir}/${name}`);
    for (const [key, value] of Object.entries(keys)) {
      await Deno.writeTextFile(`${layout.secretsDir}/${name}/${key}`, value);
    }
  }
  const argv = engineCommand(loaded.workflow, layout, {
    install: localEngineInstall(),
    engineArgs: options.engineArgs ?? [],
  });
  const [bin, ...args] = argv as [string, ...string[]];
  const child = new Deno.Command(bin, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "/root" },
  }).spawn();
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let errText = "";
  let exited = false;
  const stdoutDone = follow(child.stdout, (text) => {
    try {
      lines.push(JSON.parse(text));
    } catch {
      lines.push({ raw: text });
    }
    for (const w of waiters) w();
  });
  const stderrDone = follow(child.stderr, (text) => errText += text + "\n");
  const status = child.status.then(async (s) => {
    await Promise.all([stdoutDone, stderrDone]);
    exited = true;
    for (const w of waiters) w();
    return s;
  });
  const waitForLine = (match: (l: Record<string, unknown>) => boolean, timeoutMs = 15_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found) return done(() => resolve(found));
        if (exited) done(() => reject(new Error(`engine exited; output:\n${dump()}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no matching log line; output:\n${dump()}`))),
        timeoutMs,
      );
      const done = (fn: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        fn();
      };
      waiters.add(check);
      check();
    });
  const dump = () => lines.map((l) => JSON.stringify(l)).join("\n") + "\n" + errText;
  const proc: EngineProcess = {
    url: "",
    child,
    argv,
    layout,
    lines,
    stderr: () => errText,
    waitForLine,
    kill: (signal) => {
      if (!exited) child.kill(signal);
    },
    async cleanup() {
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }
      const s = await status;
      await Deno.remove(temp, { recursive: true });
      return s;
    },
  };
  try {
    const listening = await waitForLine((l) => l.msg === "listening");
    proc.url = String(listening.url);
  } catch (err) {
    await proc.cleanup();
    throw err;
  }
  return proc;
}

async function follow(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    for (const part of parts) if (part !== "") onLine(part);
  }
  if (rest !== "") onLine(rest);
}
