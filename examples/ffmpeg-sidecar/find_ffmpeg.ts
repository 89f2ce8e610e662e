/**
 * Locating `ffmpeg` and `ffprobe`: `FFMPEG_PATH` / `FFPROBE_PATH`, else `PATH`, else the static
 * builds shipped in the npm packages `@ffmpeg-installer/linux-x64` / `@ffprobe-installer/linux-x64`.
 * @module
 */
import { isExecutableFile, npmBinary } from "./_npm_binaries.ts";

/** Where a binary came from. */
export type BinarySource = "env" | "PATH" | "npm";

/** The two binaries the sidecar runs. */
export interface FfmpegBinaries {
  /** Absolute path of `ffmpeg`. */
  ffmpeg: string;
  /** Absolute path of `ffprobe`. */
  ffprobe: string;
  /** Where each one was found. */
  sources: { ffmpeg: BinarySource; ffprobe: BinarySource };
}

/** Options of {@linkcode findFfmpeg}. */
export interface FindFfmpegOptions {
  /** Environment lookup (default `Deno.env.get`): `FFMPEG_PATH`, `FFPROBE_PATH`, `PATH`, `TMPDIR`. */
  env?: (name: string) => string | undefined;
  /** Allow the npm fallback (default true). */
  npm?: boolean;
}

const TOOLS = [
  { tool: "ffmpeg", variable: "FFMPEG_PATH" },
  { tool: "ffprobe", variable: "FFPROBE_PATH" },
] as const;

/**
 * Finds `ffmpeg` and `ffprobe`, each independently: the explicit variable wins, then the first
 * executable on `PATH`, then the npm package's static binary (downloaded into Deno's npm cache on
 * first use; a copy is made executable under `TMPDIR` when the cached file is not, as npm's
 * `postinstall` is not run by Deno).
 *
 * @param options Environment lookup and whether the npm fallback may be used.
 * @returns Absolute paths and their sources.
 * @throws {Deno.errors.NotFound} When `FFMPEG_PATH`/`FFPROBE_PATH` is set but not an executable
 *   file, or a binary is on neither `PATH` nor (when allowed) npm; the message lists what was tried.
 * @example
 * ```ts
 * import { findFfmpeg } from "./find_ffmpeg.ts";
 * const error = await findFfmpeg({ env: (n) => n === "PATH" ? "/nonexistent" : undefined, npm: false })
 *   .catch((e) => e);
 * if (!(error instanceof Deno.errors.NotFound)) throw new Error("expected NotFound");
 * if (!error.message.includes("ffmpeg is not on PATH and the npm fallback is off")) throw error;
 * ```
 */
export async function findFfmpeg(options: FindFfmpegOptions = {}): Promise<FfmpegBinaries> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const found: Partial<Record<"ffmpeg" | "ffprobe", { path: string; source: BinarySource }>> = {};
  const problems: string[] = [];
  for (const { tool, variable } of TOOLS) {
    const explicit = env(variable);
    if (explicit !== undefined && explicit !== "") {
      if (isExecutableFile(explicit)) found[tool] = { path: explicit, source: "env" };
      else problems.push(`${variable}="${explicit}" is not an executable file`);
      continue;
    }
    const onPath = searchPath(tool, env("PATH"));
    if (onPath) {
      found[tool] = { path: onPath, source: "PATH" };
      continue;
    }
    if (options.npm === false) {
      problems.push(`${tool} is not on PATH and the npm fallback is off`);
      continue;
    }
    try {
      found[tool] = { path: await npmBinary(tool, env("TMPDIR") || "/tmp"), source: "npm" };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      problems.push(`${tool} is not on PATH and the npm fallback failed: ${why}`);
    }
  }
  if (problems.length > 0 || !found.ffmpeg || !found.ffprobe) {
    throw new Deno.errors.NotFound(
      `cannot find ffmpeg/ffprobe: ${problems.join("; ")} ` +
        "(install ffmpeg, e.g. apt-get install ffmpeg, or set FFMPEG_PATH and FFPROBE_PATH)",
    );
  }
  return {
    ffmpeg: found.ffmpeg.path,
    ffprobe: found.ffprobe.path,
    sources: { ffmpeg: found.ffmpeg.source, ffprobe: found.ffprobe.source },
  };
}

function searchPath(tool: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(":")) {
    if (!dir.startsWith("/")) continue; // relative PATH entries depend on the cwd: skip them
    const candidate = `${dir.replace(/\/+$/, "")}/${tool}`;
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
