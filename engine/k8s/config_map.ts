import { createHash } from "node:crypto";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IKeyToPath } from "kubernetes-models/v1/KeyToPath";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { ObjectMeta } from "./_types.ts";
import type { WorkflowFile } from "./workflow_files.ts";

/** The most data one ConfigMap may hold (Kubernetes rejects larger ones). */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;
/** Name of the pod volume holding the workflow code. */
export const CODE_VOLUME = "workflow";

/** The workflow code as a ConfigMap plus how to mount it with its relative paths. */
export interface CodeConfigMap {
  /** The ConfigMap (`data` keyed by flattened paths). */
  configMap: IConfigMap;
  /** The pod volume: `items[]` maps each key back to its relative path. */
  volume: IVolume;
  /** SHA-256 of every path and text, for a pod annotation that rolls pods on code changes. */
  sha256: string;
}

/**
 * Turns a relative path into a ConfigMap key. Keys may not contain `/`, so every character
 * outside `[-._a-zA-Z0-9]` becomes `_`; `items[].path` restores the real path on mount.
 *
 * @param path A relative path like `nodes/fetch-video.ts`.
 * @returns A key like `nodes_fetch-video.ts`.
 * @example
 * ```ts
 * import { configMapKey } from "./config_map.ts";
 * console.assert(configMapKey("nodes/fetch-video.ts") === "nodes_fetch-video.ts");
 * ```
 */
export function configMapKey(path: string): string {
  let key = path.replace(/[^-._a-zA-Z0-9]/g, "_");
  // "." and ".." (and keys starting "..") are reserved by Kubernetes; keys have 253 at most.
  if (key.startsWith("..") || key === ".") key = `_${key}`;
  if (key.length > 253) {
    key = `${key.slice(0, 244)}-${createHash("sha256").update(path).digest("hex").slice(0, 8)}`;
  }
  return key;
}

/**
 * Builds the ConfigMap carrying the workflow code, and the volume that mounts it with the
 * files at their relative paths.
 *
 * @param name The ConfigMap's name.
 * @param metadata Namespace, labels and annotations of the ConfigMap (its name is `name`).
 * @param files The workflow files (from `readWorkflowFiles`).
 * @returns The ConfigMap, its volume and the code hash.
 * @throws {RangeError} When the code is larger than a ConfigMap can hold (names the largest files).
 * @example
 * ```ts
 * import { codeConfigMap } from "./config_map.ts";
 * const { volume } = codeConfigMap("demo-code", { namespace: "pd-demo" }, [
 *   { path: "nodes/a.ts", text: "export default () => 1;\n" },
 * ]);
 * console.assert(volume.configMap?.items?.[0]?.path === "nodes/a.ts");
 * ```
 */
export function codeConfigMap(
  name: string,
  metadata: ObjectMeta,
  files: WorkflowFile[],
): CodeConfigMap {
  const data: Record<string, string> = {};
  const items: IKeyToPath[] = [];
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => a.path < b.path ? -1 : 1)) {
    let key = configMapKey(file.path);
    for (let n = 2; key in data; n++) key = `${configMapKey(file.path)}-${n}`;
    data[key] = file.text;
    items.push({ key, path: file.path });
    hash.update(`${file.path}\0${file.text}\0`);
  }
  checkSize(data, files);
  return {
    configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: { ...metadata, name }, data },
    volume: { name: CODE_VOLUME, configMap: { name, items } },
    sha256: hash.digest("hex"),
  };
}

function checkSize(data: Record<string, string>, files: WorkflowFile[]): void {
  const encoder = new TextEncoder();
  const bytes = Object.entries(data)
    .reduce((sum, [k, v]) => sum + k.length + encoder.encode(v).length, 0);
  if (bytes <= MAX_CONFIG_MAP_BYTES) return;
  const largest = files
    .map((f) => ({ path: f.path, size: encoder.encode(f.text).length }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((f) => `${f.path} (${f.size} bytes)`);
  throw new RangeError(
    `workflow code is ${bytes} bytes; a ConfigMap holds at most ${MAX_CONFIG_MAP_BYTES} bytes ` +
      `(largest files: ${largest.join(", ")})`,
  );
}
