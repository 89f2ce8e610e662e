import assert from "node:assert/strict";
import { createRunner } from "./runner.ts";
import { mapSharedPath } from "./shared_path.ts";
import { tempWorkflow } from "./_test_util.ts";

Deno.test("mapSharedPath() maps pod paths under the real shared dir, resolving . and ..", () => {
  const real = "/work/wf/.tntc/shared";
  assert.equal(mapSharedPath(real, "/shared/output/a.jpg"), `${real}/output/a.jpg`);
  assert.equal(mapSharedPath(`${real}//`, "/shared/output/a.jpg"), `${real}/output/a.jpg`);
  assert.equal(mapSharedPath(real, "/shared"), real);
  assert.equal(mapSharedPath(real, "/shared/"), real);
  assert.equal(mapSharedPath(real, "/shared/./in//x/../b.mp4"), `${real}/in/b.mp4`);
  assert.equal(mapSharedPath("/shared", "/shared/in/b.mp4"), "/shared/in/b.mp4");
  assert.equal(mapSharedPath("/", "/shared/in/b.mp4"), "/in/b.mp4");
});

Deno.test("mapSharedPath() refuses paths outside /shared and names them", () => {
  const outside = (path: string) =>
    `"${path}" is not a path inside /shared (the shared volume); ` +
    'expected e.g. "/shared/output/frame_0001.jpg"';
  for (const path of ["/etc/passwd", "/sharedfoo/a", "shared/a", "", "/tmp/shared/a"]) {
    assert.throws(() => mapSharedPath("/s", path), { name: "RangeError", message: outside(path) });
  }
  for (const path of ["/shared/..", "/shared/../etc/passwd", "/shared/a/../../b"]) {
    assert.throws(() => mapSharedPath("/s", path), {
      name: "RangeError",
      message: `"${path}" leaves /shared (the shared volume) through ".."`,
    });
  }
  assert.throws(() => mapSharedPath("/s", 42 as unknown as string), {
    name: "TypeError",
    message: 'shared path must be a string like "/shared/...", got number',
  });
});

Deno.test("ctx.sharedDir is the engine's shared dir and ctx.sharedPath() reaches it from a sandbox", async () => {
  await using wf = await tempWorkflow(
    `name: shared
version: "1"
sidecars:
  - name: tool
    image: x
    port: 9999
    healthPath: /health
nodes:
  write:
    path: ./write.ts
`,
    {
      "write.ts": `
export default async function run(ctx, input) {
  if (input.path) return ctx.sharedPath(input.path);
  const file = ctx.sharedPath("/shared/out/hello.txt");
  await Deno.mkdir(ctx.sharedPath("/shared/out"), { recursive: true });
  await Deno.writeTextFile(file, "hi");
  return { sharedDir: ctx.sharedDir, file };
}
`,
    },
  );
  await Deno.mkdir(wf.layout.sharedDir);
  const runner = await createRunner(wf.loaded, { layout: wf.layout, secrets: {}, log: () => {} });
  try {
    const ok = await runner.run({});
    assert.equal(ok.success, true, JSON.stringify(ok.errors));
    const file = `${wf.layout.sharedDir}/out/hello.txt`;
    assert.deepEqual(ok.outputs.write, { sharedDir: wf.layout.sharedDir, file });
    assert.equal(await Deno.readTextFile(file), "hi");
    const bad = await runner.run({ path: "/shared/../secrets/token" });
    assert.equal(bad.nodes.write?.status, "failed");
    assert.equal(
      bad.errors.write,
      'RangeError: ctx.sharedPath: "/shared/../secrets/token" leaves /shared (the shared volume) through ".."',
    );
  } finally {
    await runner.close();
  }
});
