import assert from "node:assert/strict";
import { createLogger, createSidecarApp, loadConfig, SharedPaths } from "@tntc/sidecar-kit";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { serveFfmpegSidecar } from "./serve.ts";
import { createFfmpegSidecar } from "./sidecar.ts";

async function ffmpegVersion(): Promise<string | undefined> {
  const out = await new Deno.Command("/usr/bin/ffmpeg", { args: ["-version"] }).output();
  return /^ffmpeg version (\S+)/.exec(new TextDecoder().decode(out.stdout))?.[1];
}

Deno.test("GET /health reports status, the ffmpeg path and ffmpeg's version at the top level", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const expected = {
    status: "ok",
    ffmpeg: "/usr/bin/ffmpeg",
    version: await ffmpegVersion(),
    ffprobe: "/usr/bin/ffprobe",
    sources: { ffmpeg: "PATH", ffprobe: "PATH" },
    sidecar: "ffmpeg",
    sidecar_version: "0.1.0",
  };
  // The served fetch (health answered before routing) and the routed app agree.
  for (
    const res of [
      await t.app.app.fetch(new Request("http://pod/health")),
      await t.request("/health"),
    ]
  ) {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), expected);
  }
});

Deno.test("a real server answers /health in the issue's shape", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using s = await serveFfmpegSidecar({
      env: { PORT: "0", HOST: "127.0.0.1", SHARED_DIR: dir, LOG_LEVEL: "error", PATH: "/usr/bin" },
      handleSignals: false,
      npm: false,
    });
    await s.sidecar.ready;
    const res = await fetch(`${s.url}/health`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(Object.keys(body).slice(0, 3), ["status", "ffmpeg", "version"]);
    assert.equal(body.status, "ok");
    assert.equal(body.version, await ffmpegVersion());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
  const res = await app.app.fetch(new Request("http://x/health"));
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
