/**
 * The npm fallback: static `ffmpeg`/`ffprobe` builds shipped inside the npm packages
 * `@ffmpeg-installer/linux-x64` and `@ffprobe-installer/linux-x64`.
 *
 * The packages are imported dynamically, so a machine with ffmpeg on `PATH` never downloads them.
 * Deno does not run npm `postinstall` scripts (which would `chmod u+x` the binary), and the npm
 * cache may belong to another user, so a binary without an execute bit is copied to
 * `<TMPDIR>/tntc-<package>-<version>/` and made executable there.
 * @module
 */
import { createRequire } from "node:module";

/** Imports the package (downloading it into Deno's npm cache if needed); returns its version. */
async function importPackage(name: string): Promise<string> {
  // A computed specifier on purpose: `deno info`/`deno cache` must not see it, so images and
  // machines that have ffmpeg never download the 70 MB binaries. The import map still applies.
  const specifier = `${name}/package.json`;
  const pkg = await import(specifier, { with: { type: "json" } });
  return String(pkg.default.version);
}

/**
 * Returns an executable path of the npm package's binary for `tool`.
 * @throws {Error} When the package cannot be imported (offline, no permission) or copied.
 */
export async function npmBinary(tool: "ffmpeg" | "ffprobe", tmpDir: string): Promise<string> {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    throw new Error(`the npm static builds are linux-x64 only (this is ${Deno.build.target})`);
  }
  const name = `@${tool}-installer/linux-x64`;
  const version = await importPackage(name);
  const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
  const cached = `${manifest.slice(0, manifest.lastIndexOf("/"))}/${tool}`;
  if (isExecutableFile(cached)) return cached;
  const dir = `${tmpDir.replace(/\/+$/, "")}/tntc-${tool}-installer-${version}`;
  const copy = `${dir}/${tool}`;
  if (isExecutableFile(copy) && Deno.statSync(copy).size === Deno.statSync(cached).size) {
    return copy;
  }
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  // Copy to a temporary name first so a concurrent start never runs a half-written binary.
  const partial = `${copy}.${crypto.randomUUID()}.part`;
  await Deno.copyFile(cached, partial);
  await Deno.chmod(partial, 0o755);
  await Deno.rename(partial, copy);
  return copy;
}

/** True for a regular file with an execute bit (permission errors count as "no"). */
export function isExecutableFile(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && info.mode !== null && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
