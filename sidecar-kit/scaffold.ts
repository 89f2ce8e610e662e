/**
 * `scaffoldSidecar`: writes a new sidecar (main.ts, main_test.ts, deno.json, Dockerfile,
 * README.md) that passes its own tests and the conformance check. Used by `tntc sidecar init`.
 * @module
 */
import { templates } from "./_scaffold_templates.ts";

/** Options of {@linkcode scaffoldSidecar}. */
export interface ScaffoldOptions {
  /** Sidecar name, `[a-z][a-z0-9_-]*`. */
  name: string;
  /** Target directory (created; must be empty or missing). */
  dir: string;
  /** Port, 1024–65535 and not 8080 (default 9000). */
  port?: number;
  /**
   * How the generated code imports the kit. Default: a relative path from `dir` to this kit's
   * `mod.ts` when the kit is a local file, else `jsr:@tntc/sidecar-kit@^0.1.0`. It is written to
   * the generated `deno.json` import map as `@tntc/sidecar-kit` (and `.../testing`).
   */
  kitSpecifier?: string;
}

/** What was written. */
export interface ScaffoldResult {
  /** Absolute directory. */
  dir: string;
  /** Written files, relative to `dir`, sorted. */
  files: string[];
}

/**
 * Creates a new sidecar project.
 *
 * @param options Name, directory, port, kit specifier.
 * @returns The directory and the files written.
 * @throws {TypeError} Listing every invalid option (name pattern, port range, reserved 8080).
 * @throws {Deno.errors.AlreadyExists} When `dir` exists and is not empty.
 * @example
 * ```ts
 * import { scaffoldSidecar } from "@tntc/sidecar-kit";
 * const dir = await Deno.makeTempDir();
 * const r = await scaffoldSidecar({ name: "pdf", dir: `${dir}/pdf`, port: 9002 });
 * if (!r.files.includes("main.ts")) throw new Error();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function scaffoldSidecar(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const port = options.port ?? 9000;
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(options.name)) {
    problems.push(`sidecar name "${options.name}" is invalid: must match [a-z][a-z0-9_-]*`);
  }
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    problems.push(`sidecar "${options.name}": port ${port} is out of range (1024-65535)`);
  } else if (port === 8080) {
    problems.push(`sidecar "${options.name}": port 8080 is reserved for the engine`);
  }
  if (problems.length > 0) throw new TypeError(problems.join("\n"));
  const dir = absolute(options.dir);
  await Deno.mkdir(dir, { recursive: true });
  for await (const _ of Deno.readDir(dir)) {
    throw new Deno.errors.AlreadyExists(`${dir} is not empty: refusing to overwrite`);
  }
  const kit = options.kitSpecifier ?? defaultKitSpecifier(dir);
  const files = templates({ name: options.name, port, kit });
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${file}`, text, { createNew: true });
  }
  return { dir, files: Object.keys(files).sort() };
}

function absolute(p: string): string {
  const full = p.startsWith("/") ? p : `${Deno.cwd()}/${p}`;
  const out: string[] = [];
  for (const part of full.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** Relative path from `dir` to this kit's directory (`../../sidecar-kit`), or the JSR name. */
function defaultKitSpecifier(dir: string): string {
  const here = new URL(".", import.meta.url);
  if (here.protocol !== "file:") return "jsr:@tntc/sidecar-kit@^0.1.0";
  const kitDir = decodeURIComponent(here.pathname).replace(/\/$/, "");
  const from = dir.split("/").filter(Boolean);
  const to = kitDir.split("/").filter(Boolean);
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  const rel = [...from.slice(i).map(() => ".."), ...to.slice(i)].join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}
