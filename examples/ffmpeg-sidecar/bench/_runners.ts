/**
 * The three ways the benchmark extracts frames: ffmpeg run directly, the sidecar over HTTP (a real
 * `deno run main.ts` subprocess), and ffmpeg compiled to WebAssembly in a Worker.
 * @module
 */
import { frameArgs } from "../_frame_args.ts";
import type { WasmJob, WasmResult } from "./_wasm_worker.ts";

/** One timed extraction. */
export interface Timed {
  /** Wall time in seconds. */
  seconds: number;
  /** Frames written. */
  frames: number;
}

/** Extraction settings shared by all runners. */
export interface Extraction {
  mode: "exact" | "keyframes";
  fps: number;
}

/** Runs `ffmpeg` directly with exactly the sidecar's arguments (optionally `-threads 1`). */
export async function runDirect(
  ffmpeg: string,
  input: string,
  outDir: string,
  x: Extraction,
  threads?: number,
): Promise<Timed> {
  await Deno.mkdir(outDir, { recursive: true });
  const args = frameArgs({ input, outDir, ...x, format: "jpg", maxFrames: 10_000 });
  if (threads !== undefined) args.splice(args.indexOf("-i"), 0, "-threads", String(threads));
  const t0 = performance.now();
  const out = await new Deno.Command(ffmpeg, { args, stdout: "null", stderr: "piped" }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (!out.success) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(out.stderr)}`);
  const frames = [...Deno.readDirSync(outDir)].length;
  await Deno.remove(outDir, { recursive: true });
  return { seconds, frames };
}

/** A sidecar subprocess (`deno run main.ts`) on a free loopback port. */
export interface SidecarProcess extends AsyncDisposable {
  url: string;
  ffmpeg: string;
  version: string;
}

/** Starts `main.ts` with `SHARED_DIR=sharedDir` and waits for `/health`. */
export async function startSidecar(sharedDir: string): Promise<SidecarProcess> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const main = new URL("../main.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      main,
    ],
    env: { PORT: String(port), HOST: "127.0.0.1", SHARED_DIR: sharedDir, LOG_LEVEL: "warn" },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
  };
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const health = await fetch(`${url}/health`).then((r) => r.ok ? r.json() : null, () => null);
    if (health?.status === "ok") {
      return { url, ffmpeg: health.ffmpeg, version: health.version, [Symbol.asyncDispose]: stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the sidecar did not become healthy on ${url} within 30 s`);
}

/** POSTs `/extract-frames` and times the round trip as a client sees it. */
export async function runSidecar(
  sidecar: SidecarProcess,
  sharedDir: string,
  podInput: string,
  x: Extraction,
): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(`${sidecar.url}/extract-frames`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input: podInput, fps: x.fps, mode: x.mode }),
  });
  const body = await res.json();
  const seconds = (performance.now() - t0) / 1000;
  if (!res.ok) throw new Error(`sidecar answered ${res.status}: ${body.error}`);
  await Deno.remove(`${sharedDir}${String(body.output_dir).slice("/shared".length)}`, {
    recursive: true,
  });
  return { seconds, frames: body.count };
}

/** Runs the same extraction with `@ffmpeg/core` in a fresh Worker; times `exec` only. */
export async function runWasm(input: string, x: Extraction): Promise<Timed & WasmResult> {
  const worker = new Worker(new URL("./_wasm_worker.ts", import.meta.url), { type: "module" });
  try {
    const result = await new Promise<WasmResult>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<WasmResult>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`wasm worker failed: ${e.message}`));
      };
      const args = frameArgs({
        input: "/input",
        outDir: "/out",
        ...x,
        format: "jpg",
        maxFrames: 10_000,
      });
      worker.postMessage({ input, args, outDir: "/out" } satisfies WasmJob);
    });
    if (result.rc !== 0) {
      throw new Error(`ffmpeg.wasm exited ${result.rc}: ${result.log.join(" | ")}`);
    }
    return { ...result, seconds: result.execMs / 1000 };
  } finally {
    worker.terminate();
  }
}
