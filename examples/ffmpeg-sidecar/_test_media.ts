/**
 * Test media made on the spot with the system ffmpeg (lavfi `testsrc2`), cached per process.
 * @module
 */

/** A clip to generate. */
export interface ClipSpec {
  /** Length in seconds. */
  seconds: number;
  /** `WxH`, default `320x240`. */
  size?: string;
  /** Frames per second, default 30. */
  rate?: number;
  /** Keyframe interval in frames (`-g`), default 30 (one keyframe per second at 30 fps). */
  gop?: number;
  /** Add a sine audio track. */
  audio?: boolean;
}

let dir: string | undefined;
const made = new Map<string, Promise<string>>();

/** Runs the system ffmpeg; throws with its stderr on failure. */
export async function ffmpegCli(args: string[], bin = "ffmpeg"): Promise<string> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${bin} ${args.join(" ")} failed:\n${text}`);
  return new TextDecoder().decode(out.stdout);
}

/** Returns the path of an H.264 MP4 clip matching `spec` (generated once per process). */
export function clip(spec: ClipSpec): Promise<string> {
  const size = spec.size ?? "320x240";
  const rate = spec.rate ?? 30;
  const gop = spec.gop ?? 30;
  const key = `${spec.seconds}s_${size}_${rate}fps_g${gop}${spec.audio ? "_a" : ""}`;
  let p = made.get(key);
  if (!p) {
    p = (async () => {
      if (dir === undefined) {
        const own = dir = await Deno.makeTempDir({ prefix: "ffmpeg-sidecar-media-" });
        globalThis.addEventListener("unload", () => Deno.removeSync(own, { recursive: true }));
      }
      const path = `${dir}/${key}.mp4`;
      const args = ["-v", "error", "-f", "lavfi", "-i", `testsrc2=size=${size}:rate=${rate}`];
      if (spec.audio) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
      args.push("-t", String(spec.seconds), "-c:v", "libx264", "-preset", "ultrafast");
      args.push("-g", String(gop), "-keyint_min", String(gop), "-sc_threshold", "0");
      args.push("-pix_fmt", "yuv420p", ...(spec.audio ? ["-c:a", "aac"] : []), path);
      await ffmpegCli(args);
      return path;
    })();
    made.set(key, p);
  }
  return p;
}

/** Copies a file into a test sidecar's shared directory; returns its `/shared/...` path. */
export async function share(
  t: { writeShared(podPath: string, data: Uint8Array): Promise<string> },
  source: string,
  podPath: string,
): Promise<string> {
  return await t.writeShared(podPath, await Deno.readFile(source));
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
