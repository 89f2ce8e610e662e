/**
 * The demo: sample video → ffmpeg sidecar → engine (real `deno run` under the workflow's derived
 * permissions) → `POST /run` → summary. Every child process is stopped on the way out, also on
 * failure or Ctrl-C.
 * @module
 */
import { findFfmpeg } from "@tntc/ffmpeg-sidecar";
import { loadWorkflow } from "../../engine/spec/load.ts";
import { engineCommand, localEngineInstall, localLayout } from "../../engine/server/mod.ts";
import type { RunResult } from "../../engine/run/types.ts";
import { assertPortFree, freePort, waitForOk } from "./_http.ts";
import type { Progress } from "./_progress.ts";
import { type Service, startService } from "./_service.ts";
import { formatSummary } from "./_summary.ts";
import { createSampleVideo } from "./_video.ts";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Repository root (holds deno.json and the examples). */
  root: string;
  /** Sample length in seconds, a multiple of 3 (default 30). */
  seconds?: number;
  /** Progress output. */
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** The sidecar port `examples/video-frame-extractor/workflow.yaml` declares. */
const SIDECAR_PORT = 9000;

/** How `deno task sidecar:ffmpeg` runs the sidecar (it spawns ffmpeg and serves HTTP). */
const SIDECAR_FLAGS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-sys",
];

/**
 * Runs the whole demo and prints its summary.
 *
 * @param options Root, sample length, progress output and abort signal.
 * @returns The engine's RunResult.
 * @throws {Error} When a step fails (after stopping every process it started).
 * @example
 * ```ts ignore
 * const result = await runDemo({ root, progress: new Progress(), signal });
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<RunResult> {
  const { progress, signal } = options;
  const services: Service[] = [];
  try {
    const bins = await progress.step("Finding ffmpeg", () => findFfmpeg());
    progress.line(`      ffmpeg ${bins.ffmpeg} (from ${bins.sources.ffmpeg})`);
    assertPortFree(SIDECAR_PORT, "the ffmpeg sidecar (workflow.yaml declares port 9000)");
    const loaded = await loadWorkflow(`${options.root}/examples/video-frame-extractor`);
    const enginePort = freePort();
    const layout = localLayout(loaded.dir, { listen: `127.0.0.1:${enginePort}` });
    const logDir = `${loaded.dir}/.tntc/logs`;
    await Deno.remove(layout.sharedDir, { recursive: true }).catch(() => {});
    for (const dir of [`${layout.sharedDir}/input`, layout.tmpDir, logDir]) {
      await Deno.mkdir(dir, { recursive: true });
    }
    const videoFile = `${layout.sharedDir}/input/sample-720p.mp4`;
    const seconds = await progress.step(
      `Creating a ${options.seconds ?? 30} s 720p H.264 sample video`,
      (update) =>
        createSampleVideo({
          ffmpeg: bins.ffmpeg,
          path: videoFile,
          seconds: options.seconds ?? 30,
          signal,
          onProgress: (f) => update(`${Math.round(f * 100)}%`),
        }),
    );
    await progress.step(
      `Starting the ffmpeg sidecar on 127.0.0.1:${SIDECAR_PORT}`,
      async (update) => {
        const sidecar = await startService({
          name: "ffmpeg sidecar",
          argv: [Deno.execPath(), "run", ...SIDECAR_FLAGS, "examples/ffmpeg-sidecar/main.ts"],
          cwd: options.root,
          env: {
            PORT: String(SIDECAR_PORT),
            HOST: "127.0.0.1",
            SHARED_DIR: layout.sharedDir,
            FFMPEG_PATH: bins.ffmpeg,
            FFPROBE_PATH: bins.ffprobe,
          },
          logFile: `${logDir}/ffmpeg-sidecar.log`,
        });
        services.push(sidecar);
        const url = `http://127.0.0.1:${SIDECAR_PORT}/health`;
        await waitForOk(url, { timeoutMs: 120_000, signal, service: sidecar, onStatus: update });
      },
    );
    const argv = engineCommand(loaded.workflow, layout, { install: localEngineInstall() });
    await progress.step(`Starting the engine on 127.0.0.1:${enginePort}`, async (update) => {
      const engine = await startService({
        name: "engine",
        argv,
        cwd: loaded.dir,
        env: { TNTC_DEV: "1" },
        logFile: `${logDir}/engine.log`,
      });
      services.push(engine);
      const url = `http://127.0.0.1:${enginePort}/ready`;
      await waitForOk(url, { timeoutMs: 120_000, signal, service: engine, onStatus: update });
    });
    progress.line(`      ${argv.filter((a) => a.startsWith("--allow-")).join(" ")}`);
    const result = await progress.step("Running video-frame-extractor (POST /run)", async () => {
      const res = await fetch(`http://127.0.0.1:${enginePort}/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ videoPath: "/shared/input/sample-720p.mp4" }),
        signal,
      });
      const body = await res.json();
      if (res.status !== 200 && !("nodes" in body)) {
        throw new Error(`POST /run answered ${res.status}: ${body.error ?? JSON.stringify(body)}`);
      }
      return body as RunResult;
    });
    const fps = typeof loaded.workflow.config?.fps === "number" ? loaded.workflow.config.fps : 1;
    const facts = {
      videoSeconds: seconds,
      videoBytes: (await Deno.stat(videoFile)).size,
      videoFile,
    };
    progress.line();
    for (const line of formatSummary(result, { ...facts, sharedDir: layout.sharedDir, fps })) {
      progress.line(line);
    }
    progress.line();
    progress.line(`  Logs: ${logDir}/`);
    return result;
  } finally {
    if (services.length > 0) {
      await progress.step("Stopping the engine and the sidecar", async () => {
        for (const s of services.reverse()) await s.stop();
      });
    }
  }
}
