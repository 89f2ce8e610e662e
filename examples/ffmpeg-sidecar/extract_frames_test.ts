import assert from "node:assert/strict";
import { startTestSidecar, type TestSidecar } from "@tntc/sidecar-kit/testing";
import { createFfmpegSidecar } from "./sidecar.ts";
import { clip, pngSize, share } from "./_test_media.ts";

type FramesResult = {
  frames: string[];
  count: number;
  duration_ms: number;
  output_dir: string;
  mode: string;
  truncated: boolean;
};

function start(): Promise<TestSidecar> {
  return startTestSidecar(createFfmpegSidecar({ npm: false }), { env: { LOG_LEVEL: "error" } });
}

async function extract(t: TestSidecar, body: Record<string, unknown>): Promise<FramesResult> {
  const res = await t.postJson("extract-frames", body);
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json as FramesResult;
}

Deno.test("extract-frames gives exactly duration × fps frames for a 4 s clip", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 4 }), "/shared/input/four.mp4");
  for (const [fps, expected] of [[1, 4], [2, 8], [0.5, 2], [3, 12]] as const) {
    const r = await extract(t, { input, fps });
    assert.equal(r.count, expected, `fps ${fps}`);
    assert.equal(r.frames.length, expected);
    const dir = r.output_dir;
    assert.match(dir, /^\/shared\/output\/[0-9a-f-]{36}$/);
    assert.deepEqual(
      r.frames,
      Array.from(
        { length: expected },
        (_, i) => `${dir}/frame_${String(i + 1).padStart(4, "0")}.jpg`,
      ),
    );
    const first = await Deno.readFile(t.paths.toReal(r.frames[0]!));
    assert.deepEqual([...first.subarray(0, 3)], [0xff, 0xd8, 0xff], "a JPEG file");
  }
});

Deno.test("extract-frames applies start and duration before counting", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 4 }), "/shared/input/four.mp4");
  assert.equal((await extract(t, { input, fps: 1, start: 1, duration: 2 })).count, 2);
  assert.equal((await extract(t, { input, fps: 2, start: 3 })).count, 2);
});

Deno.test("keyframes mode keeps one keyframe per 1/fps interval and never more than exact", async () => {
  await using t = await start();
  const everySecond = await share(t, await clip({ seconds: 4, gop: 30 }), "/shared/in/g30.mp4");
  const everyTwo = await share(t, await clip({ seconds: 4, gop: 60 }), "/shared/in/g60.mp4");
  const k = (input: string, fps: number) => extract(t, { input, fps, mode: "keyframes" });
  // Keyframes at 0,1,2,3 s: fps 1 matches exact mode, fps 3 cannot exceed one per keyframe.
  assert.equal((await k(everySecond, 1)).count, 4);
  assert.equal((await k(everySecond, 3)).count, 4);
  assert.equal((await k(everySecond, 0.5)).count, 2);
  // Keyframes at 0 and 2 s only.
  assert.equal((await k(everyTwo, 1)).count, 2);
  const r = await k(everySecond, 1);
  assert.equal(r.mode, "keyframes");
  assert.equal(r.truncated, false);
});

Deno.test("extract-frames scales to the requested width keeping the aspect ratio", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 2 }), "/shared/input/two.mp4");
  const r = await extract(t, { input, fps: 1, format: "png", width: 160 });
  assert.equal(r.count, 2);
  assert.match(r.frames[0]!, /frame_0001\.png$/);
  assert.deepEqual(pngSize(await Deno.readFile(t.paths.toReal(r.frames[0]!))), {
    width: 160,
    height: 120,
  });
  const odd = await extract(t, { input, fps: 1, format: "png", width: 150 });
  // 150 × 240/320 = 112.5 → an even height.
  assert.deepEqual(pngSize(await Deno.readFile(t.paths.toReal(odd.frames[0]!))).height % 2, 0);
});

Deno.test("extract-frames writes webp, and jpg quality changes the file size", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 1 }), "/shared/input/one.mp4");
  const webp = await extract(t, { input, format: "webp", quality: 50 });
  const bytes = await Deno.readFile(t.paths.toReal(webp.frames[0]!));
  assert.equal(new TextDecoder().decode(bytes.subarray(8, 12)), "WEBP");
  const size = async (quality: number) => {
    const r = await extract(t, { input, quality });
    return (await Deno.stat(t.paths.toReal(r.frames[0]!))).size;
  };
  assert.ok((await size(100)) > (await size(5)) * 2, "quality 100 is much larger than 5");
});

Deno.test("extract-frames stops at max_frames and says it truncated", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 4 }), "/shared/input/four.mp4");
  const r = await extract(t, { input, fps: 2, max_frames: 3 });
  assert.equal(r.count, 3);
  assert.equal(r.truncated, true);
});

Deno.test("two requests never see each other's frames, nor files already in output_dir", async () => {
  await using t = await start();
  const four = await share(t, await clip({ seconds: 4 }), "/shared/input/four.mp4");
  const two = await share(t, await clip({ seconds: 2 }), "/shared/input/two.mp4");
  await t.writeShared("/shared/output/frame_0001.jpg", "stale frame from an old run");
  await t.writeShared("/shared/output/frame_0009.jpg", "stale frame from an old run");
  const first = await extract(t, { input: four, fps: 2 });
  const second = await extract(t, { input: two, fps: 1 });
  assert.equal(first.count, 8);
  assert.equal(second.count, 2);
  assert.notEqual(first.output_dir, second.output_dir);
  for (const f of second.frames) assert.ok(f.startsWith(`${second.output_dir}/`), f);
  assert.equal(new Set([...first.frames, ...second.frames]).size, 10);
  const listed = [...Deno.readDirSync(t.paths.toReal(second.output_dir))].map((e) => e.name);
  assert.deepEqual(listed.sort(), ["frame_0001.jpg", "frame_0002.jpg"]);
});
