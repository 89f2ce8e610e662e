import assert from "node:assert/strict";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { createFfmpegSidecar } from "./sidecar.ts";
import { clip, pngSize, share } from "./_test_media.ts";

Deno.test("thumbnail writes one scaled frame at the given time, and refuses a time past the end", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const input = await share(t, await clip({ seconds: 3 }), "/shared/in/a.mp4");
  const ok = await t.postJson("thumbnail", {
    input,
    at: 1.5,
    output: "/shared/thumbs/a.png",
    width: 64,
  });
  const body = await ok.json();
  assert.equal(ok.status, 200, JSON.stringify(body));
  assert.equal(body.output, "/shared/thumbs/a.png");
  assert.deepEqual(pngSize(await Deno.readFile(`${t.sharedDir}/thumbs/a.png`)), {
    width: 64,
    height: 48,
  });

  const late = await t.postJson("thumbnail", { input, at: 30, output: "/shared/thumbs/b.jpg" });
  const lateBody = await late.json();
  assert.equal(late.status, 422);
  assert.equal(lateBody.error, 'no frame at 30 s: input "/shared/in/a.mp4" is 3 s long');
  // Neither the target nor a partial file was left.
  assert.deepEqual([...Deno.readDirSync(`${t.sharedDir}/thumbs`)].map((e) => e.name), ["a.png"]);

  const self = await t.postJson("thumbnail", { input, output: input });
  assert.equal(self.status, 400);
  assert.match((await self.json()).error, /output: must end in \.jpg/);
  const same = await t.postJson("thumbnail", { input, output: "/shared/in/../in/a.mp4" });
  assert.equal(same.status, 400);
  await same.body?.cancel();
});
