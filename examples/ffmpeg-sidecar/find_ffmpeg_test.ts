import assert from "node:assert/strict";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { findFfmpeg } from "./find_ffmpeg.ts";
import { createFfmpegSidecar } from "./sidecar.ts";
import { clip, share } from "./_test_media.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("findFfmpeg() takes FFMPEG_PATH/FFPROBE_PATH first, then PATH", async () => {
  const fromPath = await findFfmpeg({ env: env({ PATH: "relative/bin:/nonexistent:/usr/bin" }) });
  assert.deepEqual(fromPath, {
    ffmpeg: "/usr/bin/ffmpeg",
    ffprobe: "/usr/bin/ffprobe",
    sources: { ffmpeg: "PATH", ffprobe: "PATH" },
  });
  const explicit = await findFfmpeg({
    env: env({ FFMPEG_PATH: "/usr/bin/ffmpeg", PATH: "/nonexistent" }),
    npm: false,
  }).catch((e: Error) => e);
  assert.ok(explicit instanceof Deno.errors.NotFound);
  assert.match(explicit.message, /ffprobe is not on PATH and the npm fallback is off/);
  assert.doesNotMatch(explicit.message, /ffmpeg is not/);
});

Deno.test("findFfmpeg() names every bad variable at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/ffmpeg`, "not executable");
    const error = await findFfmpeg({
      env: env({ FFMPEG_PATH: `${dir}/ffmpeg`, FFPROBE_PATH: `${dir}/none`, PATH: "/usr/bin" }),
    }).catch((e: Error) => e);
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(
      error.message,
      `cannot find ffmpeg/ffprobe: FFMPEG_PATH="${dir}/ffmpeg" is not an executable file; ` +
        `FFPROBE_PATH="${dir}/none" is not an executable file ` +
        "(install ffmpeg, e.g. apt-get install ffmpeg, or set FFMPEG_PATH and FFPROBE_PATH)",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without ffmpeg on PATH the npm static builds serve real extractions", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "ffmpeg-npm-" });
  try {
    const found = await findFfmpeg({ env: env({ PATH: "/nonexistent", TMPDIR: tmp }) });
    assert.deepEqual(found.sources, { ffmpeg: "npm", ffprobe: "npm" });
    assert.match(found.ffmpeg, /@ffmpeg-installer\/linux-x64\/4\.1\.0\/ffmpeg$/);
    // The cached ffprobe has no execute bit (Deno skips npm's postinstall chmod): a copy is used.
    assert.equal(found.ffprobe, `${tmp}/tntc-ffprobe-installer-5.2.0/ffprobe`);

    await using t = await startTestSidecar(createFfmpegSidecar({ binaries: found }), {
      env: { LOG_LEVEL: "error" },
    });
    const health = await t.request("/health");
    const body = await health.json();
    assert.equal(body.ffmpeg, found.ffmpeg);
    assert.match(body.version, /^N-\d+|^4\.1/);
    const input = await share(t, await clip({ seconds: 4 }), "/shared/in/a.mp4");
    for (const mode of ["exact", "keyframes"]) {
      const res = await t.postJson("extract-frames", { input, fps: 1, mode });
      const r = await res.json();
      assert.equal(res.status, 200, JSON.stringify(r));
      assert.equal(r.count, 4, mode);
    }
    const probe = await (await t.postJson("probe", { input })).json();
    assert.equal(probe.video.width, 320);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
