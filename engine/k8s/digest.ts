import type { Workflow } from "../spec/schema.ts";

const DIGEST = /@[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/**
 * Whether an image reference is pinned by digest (`repo@sha256:<hex>`, with or without a
 * tag before the `@`).
 *
 * @param image An image reference.
 * @returns `true` when the reference names an immutable digest.
 * @example
 * ```ts
 * import { isPinnedByDigest } from "./digest.ts";
 * console.assert(isPinnedByDigest(`ffmpeg@sha256:${"a".repeat(64)}`));
 * console.assert(!isPinnedByDigest("ghcr.io/x/ffmpeg:v1.0.0"));
 * ```
 */
export function isPinnedByDigest(image: string): boolean {
  return DIGEST.test(image);
}

/**
 * One warning per sidecar whose image is a floating reference: the seed recommends pinning
 * sidecar images to a digest in production. Warnings, not errors — tags are fine while
 * developing.
 *
 * @param workflow The validated workflow.
 * @returns Warning messages, in sidecar order (empty when every image is pinned).
 * @example
 * ```ts
 * import { digestWarnings } from "./digest.ts";
 * import { validateWorkflow } from "../spec/validate.ts";
 * const wf = validateWorkflow(
 *   "name: a\nversion: \"1\"\nsidecars:\n  - name: ffmpeg\n    image: ffmpeg:1\n" +
 *     "    port: 9000\nnodes:\n  n:\n    path: ./n.ts\n",
 * );
 * console.assert(digestWarnings(wf).length === 1);
 * ```
 */
export function digestWarnings(workflow: Workflow): string[] {
  return (workflow.sidecars ?? [])
    .filter((s) => !isPinnedByDigest(s.image))
    .map((s) =>
      `sidecar "${s.name}": image "${s.image}" is not pinned by digest; ` +
      `pin it in production (e.g. ${withoutTag(s.image)}@sha256:<digest>)`
    );
}

function withoutTag(image: string): string {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? image.slice(0, colon) : image;
}
