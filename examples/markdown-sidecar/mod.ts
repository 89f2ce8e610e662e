/**
 * A Markdown → HTML sidecar built on the sidecar kit and Debian's `cmark-gfm`: the seed guide's
 * HTTP-body pattern (`POST /convert`, `text/plain` in, `text/html` out, streamed, 413 over the
 * body limit).
 *
 * @example
 * ```ts
 * import { createMarkdownSidecar } from "@tntc/markdown-sidecar";
 * import { startTestSidecar } from "@tntc/sidecar-kit/testing";
 * await using t = await startTestSidecar(createMarkdownSidecar());
 * const res = await t.request("/convert", {
 *   method: "POST",
 *   headers: { "content-type": "text/plain" },
 *   body: "# Hello",
 * });
 * if ((await res.text()).trim() !== "<h1>Hello</h1>") throw new Error("not converted");
 * ```
 * @module
 */
export { createMarkdownSidecar, GFM_EXTENSIONS } from "./sidecar.ts";
export type { MarkdownSidecarOptions } from "./sidecar.ts";
export { findCmark } from "./find_cmark.ts";
export type { CmarkBinary } from "./find_cmark.ts";
export { MARKDOWN_ENV_DEFAULTS } from "./main.ts";
export type { Sidecar } from "@tntc/sidecar-kit";
