import assert from "node:assert/strict";
import analyzeFrames from "../nodes/analyze-frames.ts";
import { fakeContext } from "./fake_context.ts";
import { makeClip } from "./media.ts";

/** A shared dir holding `/shared/output/job/frame_000N.jpg`: 1 fps of a 3 s + 2 s clip with a cut. */
async function framesWithCut(): Promise<{ sharedDir: string; frames: string[] }> {
  const sharedDir = await Deno.makeTempDir();
  const clip = await makeClip(`${sharedDir}/clip.mp4`, { before: 3, after: 2 });
  await Deno.mkdir(`${sharedDir}/output/job`, { recursive: true });
  const { success } = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-i", clip, "-vf", "fps=1", `${sharedDir}/output/job/frame_%04d.jpg`],
  }).output();
  assert.ok(success);
  const frames = [...Deno.readDirSync(`${sharedDir}/output/job`)].map((e) =>
    `/shared/output/job/${e.name}`
  )
    .sort();
  return { sharedDir, frames };
}

Deno.test("analyze-frames measures every frame and finds the one scene change of the clip", async () => {
  const { sharedDir, frames } = await framesWithCut();
  try {
    const ctx = fakeContext({ sharedDir, config: { fps: 1, scene_threshold: 0.12 } });
    const result = await analyzeFrames(ctx, { frames, frameCount: frames.length });
    assert.equal(result.frameCount, 5);
    assert.deepEqual([result.width, result.height], [320, 240]);
    assert.equal(result.framesDir, "/shared/output/job");
    assert.deepEqual(result.sceneChanges.map((s) => [s.index, s.atSeconds]), [[4, 3]]);
    assert.deepEqual(result.frames.map((f) => f.index), [1, 2, 3, 4, 5]);
    assert.equal(result.frames[0]!.change, 0);
    for (const f of result.frames) {
      assert.ok(f.brightness > 20 && f.brightness < 235, `frame ${f.index}: ${f.brightness}`);
      assert.equal(f.bytes, (await Deno.stat(`${sharedDir}${f.path.slice(7)}`)).size);
    }
    assert.ok(result.brightest!.brightness >= result.darkest!.brightness);
    assert.match(ctx.logs[0]!.msg, /^analyzed 5 frames$/);
  } finally {
    await Deno.remove(sharedDir, { recursive: true });
  }
});

Deno.test("analyze-frames dates frames with config.fps", async () => {
  const { sharedDir, frames } = await framesWithCut();
  try {
    const result = await analyzeFrames(fakeContext({ sharedDir, config: { fps: 2 } }), { frames });
    assert.deepEqual(result.frames.map((f) => f.atSeconds), [0, 0.5, 1, 1.5, 2]);
  } finally {
    await Deno.remove(sharedDir, { recursive: true });
  }
});

Deno.test("analyze-frames refuses frame paths outside /shared and says what it expects", async () => {
  const ctx = fakeContext({ sharedDir: "/nonexistent" });
  await assert.rejects(analyzeFrames(ctx, { frames: ["/etc/passwd"] }), {
    name: "TypeError",
    message:
      'analyze-frames: input.frames must be an array of /shared/... paths, got ["/etc/passwd"]',
  });
  await assert.rejects(analyzeFrames(ctx, {}), /input.frames must be an array.*got undefined/);
  await assert.rejects(
    analyzeFrames(ctx, { frames: ["/shared/../etc/passwd"] }),
    /must be an array/,
  );
});

Deno.test("analyze-frames names the frame that cannot be decoded", async () => {
  const sharedDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${sharedDir}/bad.jpg`, "<html>not a frame</html>");
    await assert.rejects(
      analyzeFrames(fakeContext({ sharedDir }), { frames: ["/shared/bad.jpg"] }),
      { message: "frame /shared/bad.jpg: not a JPEG (no SOI marker)" },
    );
    await assert.rejects(
      analyzeFrames(fakeContext({ sharedDir }), { frames: ["/shared/missing.jpg"] }),
      /^Error: frame \/shared\/missing.jpg: No such file/,
    );
  } finally {
    await Deno.remove(sharedDir, { recursive: true });
  }
});

Deno.test("analyze-frames rejects a non-positive config.fps or scene_threshold", async () => {
  const ctx = fakeContext({ sharedDir: "/x", config: { fps: 0, scene_threshold: "high" } });
  await assert.rejects(analyzeFrames(ctx, { frames: [] }), {
    name: "TypeError",
    message: "analyze-frames: config.fps must be a positive number, got 0",
  });
});

Deno.test("analyze-frames summarizes an empty frame list without inventing values", async () => {
  const result = await analyzeFrames(fakeContext({ sharedDir: "/x" }), { frames: [] });
  assert.equal(result.frameCount, 0);
  assert.equal(result.brightest, null);
  assert.deepEqual(result.sceneChanges, []);
});
