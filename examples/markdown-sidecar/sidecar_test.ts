import assert from "node:assert/strict";
import { checkConformance, startTestSidecar } from "@tntc/sidecar-kit/testing";
import { createMarkdownSidecar } from "./sidecar.ts";
import { findCmark } from "./find_cmark.ts";

const markdown = (body: BodyInit, type = "text/plain") => ({
  method: "POST",
  headers: { "content-type": type },
  body,
});

Deno.test("POST /convert turns GitHub-flavoured Markdown into HTML with the real cmark-gfm", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar());
  const doc = "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ - [x] done\n";
  const res = await t.request("/convert", markdown(doc));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await res.text();
  assert.match(html, /^<h1>Title<\/h1>\n/);
  assert.match(html, /<table>\n<thead>\n<tr>\n<th>a<\/th>\n<th>b<\/th>/);
  assert.match(html, /<del>old<\/del>/);
});

Deno.test("POST /convert accepts text/markdown and removes raw HTML in safe mode", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar());
  const res = await t.request(
    "/convert",
    markdown("hi <script>alert(1)</script>\n", "text/markdown"),
  );
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /<!-- raw HTML omitted -->/);
});

Deno.test("POST /convert keeps raw HTML only when the sidecar is created with unsafe: true", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar({ unsafe: true }));
  const html = await (await t.request("/convert", markdown("<b>bold</b>\n"))).text();
  assert.equal(html.trim(), "<p><b>bold</b></p>");
});

Deno.test("POST /convert streams a 600 KB document through and back completely", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar());
  const paragraphs = Array.from({ length: 35_000 }, (_, i) => `para *${i}* text\n`).join("\n");
  assert.ok(paragraphs.length > 600_000);
  const res = await t.request("/convert", markdown(new Blob([paragraphs]).stream()));
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.equal(html.match(/<p>/g)?.length, 35_000);
  assert.ok(html.endsWith("<p>para <em>34999</em> text</p>\n"));
});

Deno.test("POST /convert over the body limit answers 413 with the limit in the message", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar({ maxBytes: 1000 }));
  const res = await t.request("/convert", markdown("x".repeat(1001)));
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error, "request body too large: the limit is 1000 bytes");
});

Deno.test("POST /convert honours BODY_LIMIT from the environment", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar(), { env: { BODY_LIMIT: "2k" } });
  const ok = await t.request("/convert", markdown("y".repeat(2048)));
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), `<p>${"y".repeat(2048)}</p>\n`);
  const res = await t.request("/convert", markdown("y".repeat(2049)));
  assert.equal(res.status, 413);
  assert.match((await res.json()).error, /the limit is 2048 bytes/);
});

Deno.test("a chunked body crossing the limit never yields a complete 200 answer", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar({ maxBytes: 4096 }));
  const res = await t.request("/convert", markdown(new Blob(["z".repeat(50_000)]).stream()));
  if (res.status === 413) assert.match((await res.json()).error, /too large/);
  else await assert.rejects(res.text());
  assert.equal(t.app.activeJobs(), 0);
});

Deno.test("POST /convert refuses other content types with 415 naming the accepted ones", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar());
  const res = await t.request("/convert", markdown("{}", "application/json"));
  assert.equal(res.status, 415);
  assert.equal(
    (await res.json()).error,
    `unsupported content type "application/json": send one of text/plain, text/markdown`,
  );
});

Deno.test("GET /health reports the cmark-gfm binary, its version and the extensions", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar());
  const res = await t.request("/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  const expected = new TextDecoder().decode(
    (await new Deno.Command(findCmark().path, { args: ["--version"] }).output()).stdout,
  );
  assert.equal(body.status, "ok");
  assert.equal(body.info.cmark, findCmark().path);
  assert.ok(expected.includes(`cmark-gfm ${body.info.cmark_version} `));
  assert.deepEqual(body.info.extensions, [
    "table",
    "strikethrough",
    "autolink",
    "tagfilter",
    "tasklist",
  ]);
});

Deno.test("GET /health stays 503 with the reason when cmark-gfm cannot be found", async () => {
  const env = (name: string) => name === "PATH" ? "/nonexistent" : undefined;
  await using t = await startTestSidecar(createMarkdownSidecar({ env }));
  const res = await t.request("/health");
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /cmark-gfm not found on PATH \(\/nonexistent\)/);
  const convert = await t.request("/convert", markdown("# x"));
  assert.equal(convert.status, 503);
  await convert.body?.cancel();
});

Deno.test("findCmark() prefers CMARK_PATH and rejects one that is not executable", async () => {
  const real = findCmark().path;
  const plain = await Deno.makeTempFile();
  await Deno.chmod(plain, 0o644);
  assert.deepEqual(findCmark((n) => n === "CMARK_PATH" ? real : undefined), {
    path: real,
    source: "CMARK_PATH",
  });
  assert.throws(
    () => findCmark((n) => n === "CMARK_PATH" ? plain : undefined),
    {
      name: "NotFound",
      message: `CMARK_PATH="${plain}" is not an executable file; unset it to search PATH`,
    },
  );
  await Deno.remove(plain);
});

Deno.test("the markdown sidecar passes the kit's conformance check over a real port", async () => {
  await using t = await startTestSidecar(createMarkdownSidecar(), { listen: true });
  const report = await checkConformance(t.url!, { jobs: { convert: { body: "# conformance" } } });
  assert.ok(report.ok, report.summary);
});
