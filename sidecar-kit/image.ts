/**
 * Builds the Docker image of a sidecar made with `tntc sidecar init` (its `deno task image`):
 * stages a build context of the sidecar's own files (`app/`), the sidecar kit it imports by a
 * relative path (`kit/`) and every dependency cached on the host (`deno-dir/`), then runs
 * `docker build` on it with the sidecar's `Dockerfile`. The build itself needs no network.
 *
 * ```sh
 * deno run -A <kit>/image.ts [--dir .] [--tag NAME] [--base IMAGE]
 * ```
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** Options of {@linkcode buildSidecarImage}. */
export interface SidecarImageOptions {
  /** The sidecar's directory (with `deno.json`, `main.ts` and `Dockerfile`). */
  dir: string;
  /** The image tag, e.g. `mytool-sidecar:dev`. */
  tag: string;
  /** A base image for the Dockerfile's `BASE` argument (default: the Dockerfile's own). */
  base?: string;
}

/** Files and folders never copied: tests, benchmarks, VCS and editor state, local output. */
function skipped(name: string): boolean {
  return name.startsWith(".") || name.endsWith("_test.ts") || name === "node_modules" ||
    name === "bench" || name === "_test_fixtures";
}

/**
 * Stages the build context of the sidecar in `dir` into the empty directory `context`.
 *
 * @param dir The sidecar's directory.
 * @param context Where to stage (`Dockerfile`, `app/`, `kit/`, `deno-dir/`).
 * @throws {Error} When `deno.json`, `main.ts` or `Dockerfile` is missing, the kit cannot be
 *   found, or `deno cache` fails (its output is in the message).
 */
export async function stageSidecarImage(dir: string, context: string): Promise<void> {
  const problems: string[] = [];
  for (const file of ["deno.json", "main.ts", "Dockerfile"]) {
    const found = await Deno.stat(`${dir}/${file}`).then((s) => s.isFile, () => false);
    if (!found) problems.push(`${dir}/${file} is missing`);
  }
  if (problems.length > 0) {
    throw new Error(`cannot build the sidecar image: ${problems.join("; ")}`);
  }
  const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`)) as {
    imports?: Record<string, string>;
    tasks?: unknown;
  };
  const imports = { ...config.imports };
  const kit = imports["@tntc/sidecar-kit"];
  await copyTree(dir, `${context}/app`);
  await Deno.mkdir(`${context}/kit`); // the Dockerfile copies it, empty when the kit is a package
  if (kit !== undefined && !/^(jsr|npm|https?):/.test(kit)) {
    // A kit imported by path goes next to the app; the import map points there.
    const base = pathToFileURL(`${await Deno.realPath(dir)}/`);
    const kitDir = fileURLToPath(new URL(".", new URL(kit, base)));
    // Without the kit's own deno.json: the app's import map serves the kit's imports too.
    await copyTree(kitDir, `${context}/kit`, ["deno.json"]);
    imports["@tntc/sidecar-kit"] = "../kit/mod.ts";
    if (imports["@tntc/sidecar-kit/testing"]) {
      imports["@tntc/sidecar-kit/testing"] = "../kit/testing.ts";
    }
  }
  const { tasks: _tasks, ...kept } = config;
  await Deno.writeTextFile(
    `${context}/app/deno.json`,
    `${JSON.stringify({ ...kept, imports }, null, 2)}\n`,
  );
  await Deno.copyFile(`${dir}/Dockerfile`, `${context}/Dockerfile`);
  const cached = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--config=deno.json", "main.ts"],
    cwd: `${context}/app`,
    env: { DENO_DIR: `${context}/deno-dir`, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!cached.success) {
    throw new Error(`deno cache failed:\n${new TextDecoder().decode(cached.stderr).trimEnd()}`);
  }
  // Code transpiled at host paths is of no use in the image.
  await Deno.remove(`${context}/deno-dir/gen`, { recursive: true }).catch(() => {});
}

/**
 * Stages the context ({@linkcode stageSidecarImage}) in a temporary directory, builds it with
 * `docker build --network none`, and removes the context.
 *
 * @param options The sidecar directory, the tag and an optional base image.
 * @returns The tag.
 * @throws {Error} When staging or the build fails (the last lines of docker's output).
 * @example
 * ```ts ignore
 * import { buildSidecarImage } from "@tntc/sidecar-kit/image";
 * await buildSidecarImage({ dir: ".", tag: "mytool-sidecar:dev" });
 * ```
 */
export async function buildSidecarImage(options: SidecarImageOptions): Promise<string> {
  const context = await Deno.makeTempDir({ prefix: "sidecar-image-" });
  try {
    await stageSidecarImage(options.dir, context);
    const args = ["build", "--network", "none", "--force-rm", "--tag", options.tag];
    if (options.base !== undefined) args.push("--build-arg", `BASE=${options.base}`);
    const built = await new Deno.Command("docker", {
      args: [...args, context],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!built.success) {
      const out = new TextDecoder().decode(built.stdout) + new TextDecoder().decode(built.stderr);
      throw new Error(`docker build failed:\n${out.trimEnd().split("\n").slice(-20).join("\n")}`);
    }
    return options.tag;
  } finally {
    await Deno.remove(context, { recursive: true });
  }
}

async function copyTree(from: string, to: string, leave: string[] = []): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (skipped(entry.name) || leave.includes(entry.name)) continue;
    const source = `${from}/${entry.name}`;
    // A symbolic link is copied as what it points to (the image has no use for the link).
    const isDir = entry.isSymlink ? (await Deno.stat(source)).isDirectory : entry.isDirectory;
    if (isDir) await copyTree(source, `${to}/${entry.name}`);
    else await Deno.copyFile(source, `${to}/${entry.name}`);
  }
}

function say(stream: { writeSync(p: Uint8Array): number }, line: string): void {
  let bytes = new TextEncoder().encode(`${line}\n`);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

if (import.meta.main) {
  let values: { dir?: string; tag?: string; base?: string };
  try {
    values = parseArgs({
      args: Deno.args,
      options: { dir: { type: "string" }, tag: { type: "string" }, base: { type: "string" } },
    }).values;
  } catch (err) {
    say(
      Deno.stderr,
      `sidecar image: ${(err as Error).message}\n\nUsage: image.ts [--dir .] ` +
        "[--tag NAME] [--base IMAGE]",
    );
    Deno.exit(2);
  }
  const dir = values.dir ?? ".";
  // Docker wants lowercase [a-z0-9._-] in a repository name.
  const name = (await Deno.realPath(dir)).split("/").pop()!.toLowerCase()
    .replaceAll(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "") || "sidecar";
  const tag = values.tag ?? `${name}-sidecar:dev`;
  try {
    const built = await buildSidecarImage({
      dir,
      tag,
      ...(values.base === undefined ? {} : { base: values.base }),
    });
    say(Deno.stdout, `built ${built}`);
  } catch (err) {
    say(Deno.stderr, `sidecar image: ${(err as Error).message}`);
    Deno.exit(1);
  }
}
