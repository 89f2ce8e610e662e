import assert from "node:assert/strict";
import { createLogger, createSidecarApp, loadConfig, SharedPaths } from "@tntc/sidecar-kit";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { withFfmpegHealth } from "./health.ts";
import { createFfmpegSidecar } from "./sidecar.ts";

Deno.test("GET /health reports status, the ffmpeg path and ffmpeg's version at the top level", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const fetch = withFfmpegHealth(t.app.app.fetch);
  const res = await fetch(new Request("http://127.0.0.1/health"));
  assert.equal(res.status, 200);
  assert.ok(res.headers.get("x-request-id"));
  const body = await res.json();
  const version = /^ffmpeg version (\S+)/.exec(
    new TextDecoder().decode(
      (await new Deno.Command("/usr/bin/ffmpeg", { args: ["-version"] }).output()).stdout,
    ),
  )?.[1];
  assert.deepEqual(body, {
    status: "ok",
    ffmpeg: "/usr/bin/ffmpeg",
    version,
    ffprobe: "/usr/bin/ffprobe",
    sources: { ffmpeg: "PATH", ffprobe: "PATH" },
    sidecar: "ffmpeg",
    sidecar_version: "0.1.0",
  });
  // Other routes pass through untouched.
  const missing = await fetch(new Request("http://127.0.0.1/nope"));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("GET /health stays 503 with the reason when ffmpeg cannot be found", async () => {
  const sidecar = createFfmpegSidecar({
    env: (n) => n === "PATH" ? "/nonexistent" : undefined,
    npm: false,
  });
  const app = createSidecarApp(sidecar, {
    paths: new SharedPaths("/tmp"),
    config: loadConfig({ LOG_LEVEL: "error" }),
    logger: createLogger({ level: "error", write: () => {} }),
  });
  await app.ready;
  const res = await withFfmpegHealth(app.app.fetch)(new Request("http://x/health"));
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.match(
    body.error,
    /^not ready: self-check failed: cannot find ffmpeg\/ffprobe: ffmpeg is not on PATH/,
  );
  const job = await app.app.request("/probe", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input: "/shared/a.mp4" }),
  });
  assert.equal(job.status, 503);
  await job.body?.cancel();
  await app.close();
});
