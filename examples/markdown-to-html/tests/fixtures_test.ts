import { createMarkdownSidecar } from "@tntc/markdown-sidecar";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { fakeContext } from "../../video-frame-extractor/tests/fake_context.ts";
import { registerFixtureTests } from "../../video-frame-extractor/tests/fixtures.ts";

registerFixtureTests(new URL("..", import.meta.url), async () => {
  const t = await startTestSidecar(createMarkdownSidecar());
  const ctx = fakeContext({
    sharedDir: t.sharedDir,
    sidecars: { markdown: (path, init) => t.request(path, init) },
  });
  return Object.assign(ctx, { [Symbol.asyncDispose]: () => t.close() });
});
