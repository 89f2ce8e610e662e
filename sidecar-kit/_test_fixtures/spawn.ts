/**
 * Runs the demo sidecar as a real `deno run` subprocess for tests, collecting its JSON logs.
 * @module
 */
/** The demo sidecar's entry point. */
export const FIXTURE = new URL("./demo_sidecar.ts", import.meta.url).pathname;

/** A running demo sidecar subprocess. */
export interface Proc {
  child: Deno.ChildProcess;
  url: string;
  shared: string;
  logs: Record<string, unknown>[];
  stderr: Promise<string>;
  exited: Promise<Deno.CommandStatus>;
  cleanup(): Promise<void>;
}

/**
 * Starts the demo sidecar as a real `deno run` subprocess with scoped permissions; `flags` are
 * extra `deno run` flags (e.g. `--unstable-no-legacy-abort`; an `--allow-run=<list>` replaces the
 * default unscoped `--allow-run`).
 */
export async function spawnSidecar(
  env: Record<string, string>,
  flags: string[] = [],
): Promise<Proc> {
  const shared = await Deno.realPath(await Deno.makeTempDir({ prefix: "serve-shared-" }));
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "serve-tmp-" }));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      `--allow-write=${shared},${tmp}`,
      ...(flags.some((f) => f.startsWith("--allow-run=")) ? [] : ["--allow-run"]),
      ...flags,
      FIXTURE,
    ],
    env: { SHARED_DIR: shared, TMPDIR: tmp, HOST: "127.0.0.1", PORT: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const logs: Record<string, unknown>[] = [];
  const stderr = new Response(child.stderr).text();
  const exited = child.status;
  let resolveUrl!: (u: string) => void;
  const urlP = new Promise<string>((r) => resolveUrl = r);
  let port = 0;
  (async () => {
    let buf = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const rec = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        logs.push(rec);
        if (rec.msg === "listening") port = rec.port;
        if (rec.msg === "self-check passed: ready") resolveUrl(`http://127.0.0.1:${port}`);
      }
    }
  })();
  const url = await Promise.race([
    urlP,
    exited.then(async () => {
      throw new Error(`sidecar exited early: ${await stderr}`);
    }),
  ]);
  return {
    child,
    url,
    shared,
    logs,
    stderr,
    exited,
    cleanup: async () => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await exited;
      await Deno.remove(shared, { recursive: true });
      await Deno.remove(tmp, { recursive: true });
    },
  };
}
