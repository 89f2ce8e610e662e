/**
 * `deno task demo`: the README's first command. Creates a sample 720p video, starts the ffmpeg
 * sidecar and the engine, runs the video-frame-extractor workflow and prints a summary.
 *
 * Options: `--seconds N` (sample length, a multiple of 3; default 30). Exit code 0 when the run
 * succeeded, 1 when it failed, 130 on Ctrl-C.
 * @module
 */
import { parseArgs } from "node:util";
import { runDemo } from "./demo.ts";
import { Progress } from "./_progress.ts";

if (import.meta.main) {
  const progress = new Progress();
  const controller = new AbortController();
  const stop = () => controller.abort(new Error("interrupted"));
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  let code = 1;
  try {
    const { values } = parseArgs({ args: Deno.args, options: { seconds: { type: "string" } } });
    const seconds = values.seconds === undefined ? 30 : Number(values.seconds);
    const root = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
    progress.line("tntc demo: video → ffmpeg sidecar → workflow engine\n");
    const result = await runDemo({ root, seconds, progress, signal: controller.signal });
    code = result.success ? 0 : 1;
  } catch (error) {
    code = controller.signal.aborted ? 130 : 1;
    progress.line(
      `\ndemo ${controller.signal.aborted ? "interrupted" : "failed"}: ${(error as Error).message}`,
    );
  }
  Deno.exit(code);
}
