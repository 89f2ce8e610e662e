import { parse } from "yaml";
import type { Secrets } from "./context.ts";

/** Where {@linkcode loadSecrets} looks. */
export interface SecretSources {
  /**
   * The secrets directory (Kubernetes layout). Each entry is a secret:
   * - a directory `<dir>/<name>/` whose files are its keys (`<dir>/<name>/<key>`, as when a
   *   Kubernetes Secret is mounted at `<dir>/<name>`), or
   * - a file `<dir>/<name>` (YAML or JSON) holding a mapping of keys to values.
   * Names starting with `.` (Kubernetes' `..data` links) are ignored. Missing: no secrets.
   */
  dir?: string;
  /** A local YAML/JSON file `{ <name>: { <key>: value } }` (e.g. `.secrets.yaml` in dev); its
   * keys override the directory's. Missing: ignored. */
  localFile?: string;
}

/**
 * Loads secrets as `{ <name>: { <key>: value } }`. One trailing newline of a key file is
 * dropped (`echo token > file` gives `token`); other values are kept exactly.
 *
 * @param sources The secrets directory and/or local file.
 * @returns The secrets, by name then key.
 * @throws {TypeError} Listing every malformed file at once (not a mapping, nested values).
 * @throws {Deno.errors.NotCapable} When the engine may not read the directory.
 * @example
 * ```ts
 * import { loadSecrets } from "./secrets.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/openai`);
 * await Deno.writeTextFile(`${dir}/openai/token`, "sk-123\n");
 * const secrets = await loadSecrets({ dir });
 * console.assert(secrets.openai?.token === "sk-123");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadSecrets(sources: SecretSources): Promise<Secrets> {
  const secrets: Secrets = {};
  const problems: string[] = [];
  if (sources.dir !== undefined) await readDir(sources.dir, secrets, problems);
  if (sources.localFile !== undefined) {
    const text = await readOptional(sources.localFile);
    if (text !== null) {
      const data = parseMapping(sources.localFile, text, problems);
      for (const [name, value] of Object.entries(data ?? {})) {
        const keys = toKeys(`${sources.localFile}: secret "${name}"`, value, problems);
        if (keys) secrets[name] = { ...secrets[name], ...keys };
      }
    }
  }
  if (problems.length > 0) {
    throw new TypeError(`cannot load secrets:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return secrets;
}

async function readDir(dir: string, secrets: Secrets, problems: string[]): Promise<void> {
  let entries: string[];
  try {
    entries = [];
    for await (const entry of Deno.readDir(dir)) entries.push(entry.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const name of entries.filter((n) => !n.startsWith(".")).sort()) {
    const path = `${dir}/${name}`;
    const info = await Deno.stat(path);
    if (info.isDirectory) {
      const keys: Record<string, string> = {};
      for await (const entry of Deno.readDir(path)) {
        if (entry.name.startsWith(".")) continue;
        const file = `${path}/${entry.name}`;
        if (!(await Deno.stat(file)).isFile) continue;
        keys[entry.name] = (await Deno.readTextFile(file)).replace(/\r?\n$/, "");
      }
      secrets[name] = keys;
    } else if (info.isFile) {
      const data = parseMapping(path, await Deno.readTextFile(path), problems);
      const keys = data && toKeys(path, data, problems);
      if (keys) secrets[name.replace(/\.(ya?ml|json)$/, "")] = keys;
    }
  }
}

function parseMapping(
  file: string,
  text: string,
  problems: string[],
): Record<string, unknown> | null {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    problems.push(`${file}: not valid YAML/JSON: ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    problems.push(`${file}: expected a mapping of keys to values`);
    return null;
  }
  return data as Record<string, unknown>;
}

function toKeys(where: string, value: unknown, problems: string[]): Record<string, string> | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${where}: expected a mapping of keys to values`);
    return null;
  }
  const keys: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      keys[key] = String(v);
    } else {
      problems.push(`${where}: key "${key}" must be a string, number or boolean`);
    }
  }
  return keys;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
