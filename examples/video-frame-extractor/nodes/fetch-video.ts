/**
 * Node `fetch-video`: puts the input video on the shared volume for the ffmpeg sidecar.
 *
 * - `{ "videoUrl": "https://..." }` downloads it through the declared contract dependency
 *   (`config.video_source`, default `video-source`; only that origin is allowed) into
 *   `/shared/input/<run id>/<name>`, streaming, with a size limit (`config.max_video_bytes`).
 * - `{ "videoPath": "/shared/..." }` uses a file already on the shared volume;
 *   `{ "videoPath": "samples/clip.mp4" }` copies a file shipped with the workflow.
 *
 * Either way the bytes must look like a video container, so an HTML error page is refused here
 * and not handed to ffmpeg.
 * @module
 */
import type { Context } from "tentacular";

/** This node's output: the input of `extract-frames`. */
export interface FetchedVideo {
  /** Pod path on the shared volume, e.g. `/shared/input/<run id>/clip.mp4`. */
  videoPath: string;
  /** Size in bytes. */
  bytes: number;
  /** Where it came from. */
  source: "url" | "shared" | "workflow";
  /** The container format recognised from its first bytes. */
  container: string;
}

const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Fetches or locates the video.
 *
 * @param ctx Node context (`config.video_source`, `config.max_video_bytes`).
 * @param input `{ videoUrl }` or `{ videoPath }`.
 * @returns Where the video now is on the shared volume.
 * @throws {TypeError} For bad input or a URL outside the declared dependency.
 * @throws {Error} When the download fails, is too large or is not a video.
 */
export default async function run(ctx: Context, input: unknown): Promise<FetchedVideo> {
  const { videoUrl, videoPath } = parseInput(input);
  return videoUrl !== undefined ? await download(ctx, videoUrl) : await locate(ctx, videoPath!);
}

function parseInput(input: unknown): { videoUrl?: string; videoPath?: string } {
  const value = (typeof input === "object" && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const problems: string[] = [];
  for (const key of ["videoUrl", "videoPath"]) {
    if (value[key] !== undefined && typeof value[key] !== "string") {
      problems.push(`${key} must be a string`);
    }
  }
  if ((value.videoUrl === undefined) === (value.videoPath === undefined)) {
    problems.push(
      "give exactly one of videoUrl (http/https URL) or videoPath (/shared/... or a workflow file)",
    );
  }
  if (typeof value.videoUrl === "string" && !/^https?:\/\//.test(value.videoUrl)) {
    problems.push(`videoUrl must be an http(s) URL, got "${value.videoUrl}"`);
  }
  if (problems.length > 0) throw new TypeError(`fetch-video: ${problems.join("; ")}`);
  return value as { videoUrl?: string; videoPath?: string };
}

async function download(ctx: Context, videoUrl: string): Promise<FetchedVideo> {
  const dependency = typeof ctx.config.video_source === "string"
    ? ctx.config.video_source
    : "video-source";
  const dep = ctx.dependency(dependency);
  const url = new URL(videoUrl);
  if (url.origin !== new URL(dep.url).origin) {
    throw new TypeError(
      `fetch-video: videoUrl origin ${url.origin} is not the declared dependency "${dependency}" (${dep.url})`,
    );
  }
  const max = maxBytes(ctx);
  const res = await ctx.fetch(dependency, url.pathname + url.search);
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`fetch-video: GET ${videoUrl} answered ${res.status} ${res.statusText}`);
  }
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw new Error(`fetch-video: ${videoUrl} is ${declared} bytes, over the limit of ${max}`);
  }
  const name = safeName(url.pathname.split("/").at(-1) ?? "");
  const podPath = `/shared/input/${ctx.runId}/${name}`;
  const real = ctx.sharedPath(podPath);
  await Deno.mkdir(real.slice(0, real.lastIndexOf("/")), { recursive: true });
  let bytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (bytes > max) {
        throw new Error(`fetch-video: ${videoUrl} exceeds the limit of ${max} bytes`);
      }
      controller.enqueue(chunk);
    },
  });
  try {
    await res.body!.pipeThrough(counter).pipeTo((await Deno.create(real)).writable, {
      signal: ctx.signal,
    });
    const container = await sniff(real, videoUrl);
    ctx.log.info(`downloaded ${bytes} bytes`, { url: videoUrl, path: podPath, container });
    return { videoPath: podPath, bytes, source: "url", container };
  } catch (error) {
    await Deno.remove(real).catch(() => {});
    throw error;
  }
}

async function locate(ctx: Context, videoPath: string): Promise<FetchedVideo> {
  if (videoPath.startsWith("/shared/")) {
    const real = ctx.sharedPath(videoPath); // refuses a path leaving /shared through ".."
    const info = await Deno.stat(real).catch(() => null);
    if (!info?.isFile) {
      throw new Error(`fetch-video: ${videoPath} is not a file on the shared volume`);
    }
    return {
      videoPath,
      bytes: info.size,
      source: "shared",
      container: await sniff(real, videoPath),
    };
  }
  if (videoPath.startsWith("/") || videoPath.split("/").includes("..")) {
    throw new TypeError(
      `fetch-video: videoPath "${videoPath}" must be a /shared/... path or a path inside the workflow`,
    );
  }
  const source = new URL(`../${videoPath}`, import.meta.url);
  const podPath = `/shared/input/${ctx.runId}/${safeName(videoPath.split("/").at(-1)!)}`;
  const real = ctx.sharedPath(podPath);
  await Deno.mkdir(real.slice(0, real.lastIndexOf("/")), { recursive: true });
  await Deno.copyFile(source, real).catch((error) => {
    throw new Error(`fetch-video: cannot copy workflow file ${videoPath}: ${error.message}`, {
      cause: error,
    });
  });
  const { size } = await Deno.stat(real);
  return {
    videoPath: podPath,
    bytes: size,
    source: "workflow",
    container: await sniff(real, videoPath),
  };
}

/** Recognises common video containers by their first bytes. */
async function sniff(real: string, label: string): Promise<string> {
  using file = await Deno.open(real);
  const head = new Uint8Array(12);
  const n = (await file.read(head)) ?? 0;
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (n >= 8 && ascii(4, 8) === "ftyp") return "mp4";
  if (n >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return "matroska";
  }
  if (n >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "AVI ") return "avi";
  if (n >= 3 && ascii(0, 3) === "FLV") return "flv";
  if (n >= 1 && head[0] === 0x47) return "mpegts";
  const shown = JSON.stringify(new TextDecoder().decode(head.subarray(0, n)));
  throw new Error(
    `fetch-video: ${label} is not a video (mp4/mov, mkv/webm, avi, flv or MPEG-TS); it starts with ${shown}`,
  );
}

function maxBytes(ctx: Context): number {
  const v = ctx.config.max_video_bytes;
  if (v === undefined) return DEFAULT_MAX_BYTES;
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new TypeError(
      `fetch-video: config.max_video_bytes must be a positive integer, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return cleaned === "" ? "video" : cleaned.slice(0, 100);
}
