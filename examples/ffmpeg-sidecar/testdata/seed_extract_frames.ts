// The node code of the seed guide "Adding Native Tools with Sidecars" (Step 2), unchanged apart
// from formatting: the contract this sidecar must keep.
import type { Context } from "tentacular";
export default async function run(ctx: Context, input: unknown): Promise<unknown> {
  const { videoPath } = input as { videoPath: string };
  // Write the video to shared volume (assume fetch-video wrote it already)
  // Call the ffmpeg sidecar
  const resp = await globalThis.fetch("http://localhost:9000/extract-frames", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      input: videoPath, // path in /shared/input/
      fps: 1,
      output_dir: "/shared/output",
    }),
  });
  if (!resp.ok) {
    const err = await resp.json() as { error: string };
    throw new Error(`ffmpeg failed: ${err.error}`);
  }
  const result = await resp.json() as { frames: string[]; count: number; duration_ms: number };
  ctx.log.info(`extracted ${result.count} frames in ${result.duration_ms}ms`);
  return { frames: result.frames, frameCount: result.count };
}
