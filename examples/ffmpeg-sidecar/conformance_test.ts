import assert from "node:assert/strict";
import { checkConformance } from "@tntc/sidecar-kit/testing";
import { serveFfmpegSidecar } from "./serve.ts";
import { clip } from "./_test_media.ts";

Deno.test("the served ffmpeg sidecar passes the kit's HTTP conformance checks", async () => {
  const shared = await Deno.makeTempDir({ prefix: "ffmpeg-conformance-" });
  try {
    await Deno.mkdir(`${shared}/in`);
    await Deno.copyFile(await clip({ seconds: 1 }), `${shared}/in/a.mp4`);
    await using s = await serveFfmpegSidecar({
      env: {
        PORT: "0",
        HOST: "127.0.0.1",
        SHARED_DIR: shared,
        LOG_LEVEL: "error",
        PATH: Deno.env.get("PATH"),
      },
      handleSignals: false,
      npm: false,
    });
    await s.sidecar.ready;
    const input = "/shared/in/a.mp4";
    const report = await checkConformance(s.url, {
      jobs: {
        "extract-frames": { valid: { input, fps: 1 } },
        probe: { valid: { input } },
        thumbnail: { valid: { input, output: "/shared/out/t.jpg" } },
        transcode: { valid: { input, output: "/shared/out/t.mp4", preset: "ultrafast" } },
      },
    });
    assert.ok(report.ok, report.summary);
    const openapi = await (await fetch(`${s.url}/openapi.json`)).json();
    for (const job of ["/extract-frames", "/probe", "/thumbnail", "/transcode"]) {
      assert.ok(openapi.paths[job]?.post, `${job} is documented in /openapi.json`);
    }
  } finally {
    await Deno.remove(shared, { recursive: true });
  }
});
