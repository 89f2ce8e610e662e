import assert from "node:assert/strict";
import { startTestSidecar } from "@tntc/sidecar-kit/testing";
import { createFfmpegSidecar } from "./sidecar.ts";
import { clip, share } from "./_test_media.ts";

/** Reads an SSE stream into `{ event, data }` pairs until it ends. */
async function readEvents(res: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await res.text();
  return text.split("\n\n").filter((b) => b.startsWith("event:")).map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
    return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") };
  });
}

Deno.test("transcode runs async with progress events from -progress and writes the file", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const input = await share(
    t,
    await clip({ seconds: 6, size: "640x360", audio: true }),
    "/shared/in/a.mp4",
  );
  const submit = await t.postJson("transcode", {
    input,
    output: "/shared/out/small.mp4",
    width: 320,
    preset: "veryfast",
    audio_codec: "none",
  }, { prefer: "respond-async" });
  assert.equal(submit.status, 202);
  const { id, status_url } = await submit.json();
  const events = await readEvents(await t.request(`${status_url}/events`));
  const progress = events.filter((e) => e.event === "progress").map((e) =>
    e.data as Record<string, unknown>
  );
  assert.ok(progress.length >= 2, JSON.stringify(events));
  assert.deepEqual(progress[0], { percent: 0, message: "started" });
  const parsed = progress.slice(1);
  const last = parsed.at(-1)!;
  assert.equal(last.state, "end");
  assert.equal(last.percent, 100);
  assert.ok(Math.abs(Number(last.out_time_s) - 6) < 0.2, `out_time_s ${last.out_time_s}`);
  assert.equal(last.frame, 180);
  const percents = parsed.map((p) => Number(p.percent));
  assert.deepEqual(percents, [...percents].sort((a, b) => a - b), "percent never goes back");
  const end = events.at(-1)!;
  assert.equal(end.event, "end");
  const state = await (await t.request(`/jobs/${id}`)).json();
  assert.equal(state.status, "succeeded", JSON.stringify(state));
  assert.equal(state.result.output, "/shared/out/small.mp4");
  const probe = await (await t.postJson("probe", { input: "/shared/out/small.mp4" })).json();
  assert.equal(probe.video.width, 320);
  assert.equal(probe.video.height, 180);
  assert.equal(probe.audio, null);
  assert.ok(Math.abs(probe.duration - 6) < 0.2);
  assert.deepEqual([...Deno.readDirSync(`${t.sharedDir}/out`)].map((e) => e.name), ["small.mp4"]);
});

Deno.test("transcode rejects encoder options without an encoder, all at once", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const input = await share(t, await clip({ seconds: 1 }), "/shared/in/a.mp4");
  const res = await t.postJson("transcode", {
    input,
    output: "/shared/out/x",
    video_codec: "copy",
    width: 100,
    crf: 20,
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.deepEqual(body.issues.map((i: { path: string }) => i.path).sort(), [
    "crf",
    "output",
    "width",
  ]);
});

Deno.test("transcode picks the container's codecs by default and refuses ones it cannot hold", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const input = await share(
    t,
    await clip({ seconds: 1, size: "160x120", audio: true }),
    "/shared/in/a.mp4",
  );
  // .webm with no codecs named: vp9 + opus, not the h264 + aac of .mp4.
  const webm = await t.postJson("transcode", { input, output: "/shared/out/a.webm" });
  assert.equal(webm.status, 200, await webm.clone().text());
  const probe = await (await t.postJson("probe", { input: "/shared/out/a.webm" })).json();
  assert.deepEqual([probe.video.codec, probe.audio.codec], ["vp9", "opus"]);
  // An audio file: no video stream.
  const mp3 = await t.postJson("transcode", { input, output: "/shared/out/a.mp3" });
  assert.equal(mp3.status, 200, await mp3.clone().text());
  const song = await (await t.postJson("probe", { input: "/shared/out/a.mp3" })).json();
  assert.deepEqual([song.video, song.audio.codec], [null, "mp3"]);
  const cases: [Record<string, unknown>, string][] = [
    [
      { output: "/shared/out/b.webm", audio_codec: "aac" },
      'audio_codec: "aac" cannot go into .webm (allowed there: opus, copy, none)',
    ],
    [
      { output: "/shared/out/b.webm", video_codec: "h264" },
      'video_codec: "h264" cannot go into .webm (allowed there: vp9, copy, none)',
    ],
    [
      { output: "/shared/out/b.mp3", video_codec: "h264" },
      'video_codec: .mp3 holds audio only: leave video_codec out or set it to "none"',
    ],
    [
      { output: "/shared/out/b.png" },
      'output: ".png" is not a container this job writes (supported: .mp4, .m4v, .mov, .mkv, ' +
      ".webm, .ts, .mp3, .m4a, .ogg, .opus)",
    ],
  ];
  const typo = await t.postJson("transcode", { input, output: "/shared/out/c.mp4", crff: 20 });
  assert.equal(typo.status, 400);
  assert.match(
    (await typo.json()).error,
    /Unrecognized key: "crff" \(allowed: input, output, video_codec, audio_codec, width, crf, preset, start, duration\)/,
  );
  for (const [body, message] of cases) {
    const res = await t.postJson("transcode", { input, ...body });
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((await res.json()).error, `invalid input: ${message}`);
  }
});

Deno.test("transcode refuses a copy the container cannot hold and an output with nothing to write, as 422s", async () => {
  await using t = await startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error" },
  });
  const input = await share(t, await clip({ seconds: 1, size: "160x120" }), "/shared/in/v.mp4");
  const copy = await t.postJson("transcode", {
    input,
    output: "/shared/out/c.webm",
    video_codec: "copy",
  });
  assert.equal(copy.status, 422);
  assert.equal(
    (await copy.json()).error,
    `video_codec "copy": the input's video is h264, which .webm cannot hold (it holds vp9): ` +
      "encode it instead",
  );
  // A video-only clip into an audio-only container.
  const song = await t.postJson("transcode", { input, output: "/shared/out/s.mp3" });
  assert.equal(song.status, 422);
  assert.equal(
    (await song.json()).error,
    `nothing to write into .mp3: input "/shared/in/v.mp4" has only a video stream, and ` +
      `video_codec is "none", audio_codec "mp3"`,
  );
  // A missing stream is fine otherwise: the default aac of .mp4 just has nothing to encode.
  const silent = await t.postJson("transcode", { input, output: "/shared/out/v.mp4" });
  assert.equal(silent.status, 200, await silent.clone().text());
  const copied = await t.postJson("transcode", {
    input,
    output: "/shared/out/k.mkv",
    video_codec: "copy",
  });
  assert.equal(copied.status, 200, await copied.clone().text());
});
