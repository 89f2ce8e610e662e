/**
 * Entry point: `deno task sidecar:ffmpeg` serves the ffmpeg sidecar on `PORT` (default 9000) with
 * `SHARED_DIR` (default `/shared`) playing `/shared`. ffmpeg is found through `FFMPEG_PATH` /
 * `FFPROBE_PATH`, then `PATH`, then the npm static builds. Every other setting is the kit's
 * (see sidecar-kit/README.md).
 * @module
 */
import { serveOrExit } from "@tntc/sidecar-kit";
import { serveFfmpegSidecar } from "./serve.ts";

if (import.meta.main) await serveOrExit(() => serveFfmpegSidecar());
