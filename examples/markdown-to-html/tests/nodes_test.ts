import assert from "node:assert/strict";
import { createMarkdownSidecar } from "@tntc/markdown-sidecar";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import render from "../nodes/render.ts";
import page from "../nodes/page.ts";
import { fakeContext } from "../../video-frame-extractor/tests/fake_context.ts";

/** A ctx whose `markdown` sidecar is the real sidecar (real cmark-gfm), served in-process. */
async function withSidecar(config: Record<string, unknown> = {}) {
  const t = await startTestSidecar(createMarkdownSidecar());
  const ctx = fakeContext({
    sharedDir: t.sharedDir,
    config,
    sidecars: {
      markdown: async (path, init) => {
        const res = await t.request(path, init);
        if (!res.ok) throw new Error(`sidecar ${res.status}: ${(await res.json()).error}`);
        return res;
      },
    },
  });
  return { ctx, [Symbol.asyncDispose]: () => t.close() };
}

Deno.test("render sends the Markdown body to the sidecar and returns cmark-gfm's HTML", async () => {
  await using s = await withSidecar();
  const out = await render(s.ctx, { markdown: "# Notes\n\n- [x] one\n- [ ] two\n" });
  assert.equal(out.title, null);
  assert.equal(out.markdownBytes, 29);
  assert.match(
    out.html,
    /^<h1>Notes<\/h1>\n<ul>\n<li><input type="checkbox" checked="" disabled="" \/> one<\/li>/,
  );
  assert.equal(s.ctx.logs[0]!.msg, "rendered 29 bytes of Markdown");
});

Deno.test("render refuses Markdown over config.max_markdown_bytes before calling the sidecar", async () => {
  await using s = await withSidecar({ max_markdown_bytes: 10 });
  await assert.rejects(render(s.ctx, { markdown: "x".repeat(11) }), {
    name: "TypeError",
    message: "render: markdown is 11 bytes, over 10; send larger documents through /shared",
  });
});

Deno.test("render lists every input problem at once", async () => {
  await using s = await withSidecar();
  await assert.rejects(render(s.ctx, { markdown: 1, title: 2 }), {
    message: "render: markdown must be a string, got number; title must be a string",
  });
});

Deno.test("page wraps the fragment in a document titled by its first heading", () => {
  const out = page(fakeContext({ sharedDir: "/x" }), {
    html: "<h1>A &amp; B</h1>\n<p>one two</p>\n<h2>Part <em>2</em></h2>\n",
    title: null,
  });
  assert.equal(out.title, "A & B");
  assert.deepEqual(out.headings, [{ level: 1, text: "A & B" }, { level: 2, text: "Part 2" }]);
  assert.equal(out.words, 7);
  assert.match(
    out.document,
    /^<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>A &amp; B<\/title>/,
  );
  assert.ok(out.document.endsWith("</body>\n</html>\n"));
});

Deno.test("page prefers the given title and rejects input without html", () => {
  const ctx = fakeContext({ sharedDir: "/x" });
  assert.equal(page(ctx, { html: "<h1>x</h1>", title: "Given <3" }).title, "Given <3");
  assert.match(
    page(ctx, { html: "<h1>x</h1>", title: "Given <3" }).document,
    /<title>Given &lt;3<\/title>/,
  );
  assert.throws(() => page(ctx, {}), {
    name: "TypeError",
    message: "page: input.html must be a string, got undefined",
  });
});
