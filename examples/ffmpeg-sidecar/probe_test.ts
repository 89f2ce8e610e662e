import assert from "node:assert/strict";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { createFfmpegSidecar } from "./sidecar.ts";
import { summarize } from "./probe.ts";
import { clip, share } from "./_test_media.ts";

Deno.test("probe reports duration, size, codecs, frame rate and streams of a real clip", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const source = await clip({ seconds: 2, size: "320x240", rate: 25, audio: true });
  const input = await share(t, source, "/shared/in/a.mp4");
  const res = await t.postJson("probe", { input });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.ok(Math.abs(body.duration - 2) < 0.1, `duration ${body.duration}`);
  assert.equal(body.size, (await Deno.stat(source)).size);
  assert.match(body.format, /mp4/);
  assert.deepEqual(
    { ...body.video, frames: undefined },
    {
      codec: "h264",
      width: 320,
      height: 240,
      frame_rate: 25,
      pix_fmt: "yuv420p",
      frames: undefined,
    },
  );
  assert.equal(body.video.frames, 50);
  assert.equal(body.audio.codec, "aac");
  assert.equal(body.audio.sample_rate, 44100);
  assert.deepEqual(body.streams.map((s: { codec_type: string }) => s.codec_type), [
    "video",
    "audio",
  ]);
});

Deno.test("summarize() skips cover art and reads fractional frame rates", () => {
  const info = summarize({
    format: { duration: "1.5", format_name: "mov", bit_rate: "1000" },
    streams: [
      { codec_type: "video", codec_name: "mjpeg", disposition: { attached_pic: 1 } },
      {
        codec_type: "video",
        codec_name: "h264",
        width: 2,
        height: 2,
        avg_frame_rate: "30000/1001",
      },
    ],
  }, 10);
  assert.equal(info.video?.codec, "h264");
  assert.equal(info.video?.frame_rate, 29.97);
  assert.equal(info.audio, null);
  assert.equal(info.duration, 1.5);
  assert.equal(info.bit_rate, 1000);
});
