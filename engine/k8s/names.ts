import { createHash } from "node:crypto";

/** The longest Kubernetes DNS-1123 label (names of namespaces, containers, volumes, ports). */
export const MAX_LABEL_LENGTH = 63;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether `name` is a DNS-1123 label: lowercase letters, digits and `-`, starting and ending
 * with a letter or digit, at most 63 characters (container, volume and namespace names).
 *
 * @param name The candidate name.
 * @returns `true` when Kubernetes accepts it as a label-style name.
 * @example
 * ```ts
 * import { isDnsLabel } from "./names.ts";
 * console.assert(isDnsLabel("ffmpeg-tmp") && !isDnsLabel("Ffmpeg") && !isDnsLabel("a_b"));
 * ```
 */
export function isDnsLabel(name: string): boolean {
  return name.length <= MAX_LABEL_LENGTH && DNS_LABEL.test(name);
}

/**
 * Whether `name` is a DNS-1035 label (a DNS-1123 label that starts with a letter), the rule
 * for Service names.
 *
 * @param name The candidate name.
 * @returns `true` when Kubernetes accepts it as a Service name.
 * @example
 * ```ts
 * import { isDns1035Label } from "./names.ts";
 * console.assert(isDns1035Label("video") && !isDns1035Label("1video"));
 * ```
 */
export function isDns1035Label(name: string): boolean {
  return name.length <= MAX_LABEL_LENGTH && DNS_1035_LABEL.test(name);
}

/**
 * Joins `prefix`, `base` and `suffix` into a DNS-1123 label. When the result would exceed 63
 * characters, `base` is cut and an 8-hex-digit hash of the whole of `base` is put before the
 * suffix, so the name stays valid, readable and deterministic, and two long bases never share
 * a name.
 *
 * @param base A DNS-1123 label (e.g. a sidecar name of up to 63 characters).
 * @param suffix What follows, starting with `-` (e.g. `-tmp`); may be empty.
 * @param prefix What comes before, ending with `-` (e.g. `pd-`); default empty.
 * @returns `<prefix><base><suffix>`, or `<prefix><cut base>-<hash><suffix>` when too long.
 * @throws {RangeError} When prefix and suffix leave no room for a shortened base.
 * @example
 * ```ts
 * import { labelWithSuffix } from "./names.ts";
 * console.assert(labelWithSuffix("ffmpeg", "-tmp") === "ffmpeg-tmp");
 * console.assert(labelWithSuffix("a".repeat(63), "-tmp").length === 63);
 * ```
 */
export function labelWithSuffix(base: string, suffix: string, prefix = ""): string {
  const whole = `${prefix}${base}${suffix}`;
  if (whole.length <= MAX_LABEL_LENGTH) return whole;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 8);
  const room = MAX_LABEL_LENGTH - prefix.length - suffix.length - hash.length - 1;
  if (room < 1) throw new RangeError(`"${prefix}" + "${suffix}" leave no room for a name`);
  const cut = base.slice(0, room).replace(/-+$/, "");
  return `${prefix}${cut}-${hash}${suffix}`;
}

/**
 * The default namespace of a workflow: `pd-<workflow>` as in the sidecar guide
 * (`namespace="pd-video-frame-extractor"`), shortened like {@linkcode labelWithSuffix} when
 * the workflow name is longer than 60 characters.
 *
 * @param workflowName The workflow's `name`.
 * @returns A valid namespace name.
 * @example
 * ```ts
 * import { defaultNamespace } from "./names.ts";
 * console.assert(defaultNamespace("video-frame-extractor") === "pd-video-frame-extractor");
 * ```
 */
export function defaultNamespace(workflowName: string): string {
  return labelWithSuffix(workflowName, "", "pd-");
}
