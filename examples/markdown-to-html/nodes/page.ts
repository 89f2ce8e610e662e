/**
 * Node `page`: wraps the rendered fragment in a standalone HTML document with a title (the given
 * one, else the first heading) and an outline of its headings.
 * @module
 */
import type { Context } from "tentacular";

/** A heading found in the fragment. */
export interface Heading {
  /** 1–6. */
  level: number;
  /** Its text, tags removed. */
  text: string;
}

/** This node's output. */
export interface Page {
  /** The page title. */
  title: string;
  /** Headings in document order. */
  headings: Heading[];
  /** Words of visible text. */
  words: number;
  /** The complete HTML document. */
  document: string;
}

/**
 * Builds the page.
 *
 * @param _ctx Node context (unused).
 * @param input The output of `render`: `{ html, title }`.
 * @returns Title, headings, word count and the document.
 * @throws {TypeError} When `input.html` is not a string.
 */
export default function run(_ctx: Context, input: unknown): Page {
  const { html, title } = (input ?? {}) as { html?: unknown; title?: unknown };
  if (typeof html !== "string") {
    throw new TypeError(`page: input.html must be a string, got ${typeof html}`);
  }
  const headings = [...html.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => ({
    level: Number(m[1]),
    text: decode(m[2]!.replace(/<[^>]+>/g, "")).trim(),
  }));
  const pageTitle = typeof title === "string" && title !== ""
    ? title
    : headings[0]?.text ?? "Untitled";
  const words = decode(html.replace(/<[^>]+>/g, " ")).split(/\s+/).filter(Boolean).length;
  const document = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>' + escape(pageTitle) + "</title></head>",
    "<body>",
    html.trimEnd(),
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { title: pageTitle, headings, words, document };
}

function decode(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(
    /&amp;/g,
    "&",
  );
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
