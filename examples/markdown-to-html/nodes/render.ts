/**
 * Node `render`: sends the Markdown to the `markdown` sidecar in the request body (the seed
 * guide's HTTP-body pattern, for payloads under ~1 MB) and returns the HTML fragment.
 * @module
 */
import type { Context } from "tentacular";

/** This node's output. */
export interface Rendered {
  /** The HTML fragment from cmark-gfm. */
  html: string;
  /** `input.title` when given. */
  title: string | null;
  /** Size of the Markdown in bytes. */
  markdownBytes: number;
}

/**
 * Renders `input.markdown`.
 *
 * @param ctx Node context (`config.max_markdown_bytes`, default 1 MiB).
 * @param input `{ markdown: string, title?: string }`.
 * @returns The HTML fragment and the title.
 * @throws {TypeError} When `markdown` is missing or too large for an HTTP body.
 * @throws {SidecarError} When the sidecar answers an error (e.g. 413).
 */
export default async function run(ctx: Context, input: unknown): Promise<Rendered> {
  const { markdown, title } = (input ?? {}) as { markdown?: unknown; title?: unknown };
  const problems: string[] = [];
  if (typeof markdown !== "string") {
    problems.push(`markdown must be a string, got ${typeof markdown}`);
  }
  if (title !== undefined && typeof title !== "string") problems.push("title must be a string");
  if (problems.length > 0) throw new TypeError(`render: ${problems.join("; ")}`);
  const bytes = new TextEncoder().encode(markdown as string);
  const max = typeof ctx.config.max_markdown_bytes === "number"
    ? ctx.config.max_markdown_bytes
    : 1 << 20;
  if (bytes.length > max) {
    throw new TypeError(
      `render: markdown is ${bytes.length} bytes, over ${max}; send larger documents through /shared`,
    );
  }
  const res = await ctx.sidecar("markdown").fetch("/convert", {
    method: "POST",
    headers: { "Content-Type": "text/plain" },
    body: bytes,
  });
  const html = await res.text();
  ctx.log.info(`rendered ${bytes.length} bytes of Markdown`, { htmlBytes: html.length });
  return { html, title: (title as string | undefined) ?? null, markdownBytes: bytes.length };
}
