/**
 * Worker that runs ffmpeg compiled to WebAssembly (`@ffmpeg/core`, single-threaded) on one file.
 *
 * Why a Worker: the Emscripten build is compiled for browser workers only (`ENVIRONMENT_IS_WORKER`
 * is hard-wired) and reads `self.location.href` at start-up, which Deno defines in a Worker but
 * not on the main thread ("Cannot read properties of undefined (reading 'href')"). The `.wasm` is
 * handed over as `wasmBinary`, so nothing is fetched.
 * @module
 */
/// <reference lib="deno.worker" />
import createFFmpegCore from "@ffmpeg/core";
import { createRequire } from "node:module";

/** What the main thread sends. */
export interface WasmJob {
  input: string;
  args: string[];
  outDir: string;
}

/** What the worker answers. */
export interface WasmResult {
  rc: number;
  initMs: number;
  copyInMs: number;
  execMs: number;
  frames: number;
  log: string[];
}

interface Core {
  FS: {
    writeFile(path: string, data: Uint8Array): void;
    mkdir(path: string): void;
    readdir(path: string): string[];
  };
  exec(...args: string[]): number;
  setLogger(fn: (m: { type: string; message: string }) => void): void;
  reset(): void;
}

self.onmessage = async (e: MessageEvent<WasmJob>) => {
  const job = e.data;
  const wasmPath = createRequire(import.meta.url).resolve("@ffmpeg/core/wasm");
  const t0 = performance.now();
  const core = await (createFFmpegCore as (o: unknown) => Promise<Core>)({
    wasmBinary: await Deno.readFile(wasmPath),
  });
  const initMs = performance.now() - t0;
  const log: string[] = [];
  core.setLogger((m) => log.push(m.message));
  const t1 = performance.now();
  core.FS.writeFile("/input", await Deno.readFile(job.input));
  core.FS.mkdir(job.outDir);
  const copyInMs = performance.now() - t1;
  // Work around ffmpeg.wasm issue #823: the first exec of a fresh core can die with "memory access
  // out of bounds"; any earlier exec (here `-version`) avoids it.
  core.exec("-version");
  core.reset();
  log.length = 0;
  const t2 = performance.now();
  const rc = core.exec(...job.args);
  const execMs = performance.now() - t2;
  const frames = core.FS.readdir(job.outDir).filter((n) => n.startsWith("frame_")).length;
  self.postMessage({ rc, initMs, copyInMs, execMs, frames, log: log.slice(-5) } as WasmResult);
};
