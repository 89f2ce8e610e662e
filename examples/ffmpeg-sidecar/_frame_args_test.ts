import assert from "node:assert/strict";
import { codecArgs, frameArgs } from "./_frame_args.ts";

const base = {
  input: "/s/in.mp4",
  outDir: "/s/out/j1",
  fps: 2,
  format: "jpg" as const,
  maxFrames: 100,
};

Deno.test("frameArgs() in exact mode runs the fps filter and writes numbered frames", () => {
  assert.deepEqual(frameArgs({ ...base, mode: "exact" }), [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-i",
    "/s/in.mp4",
    "-map",
    "0:v:0",
    "-an",
    "-sn",
    "-dn",
    "-vf",
    "fps=2",
    "-c:v",
    "mjpeg",
    "-q:v",
    "5",
    "-frames:v",
    "100",
    "/s/out/j1/frame_%04d.jpg",
  ]);
});

Deno.test("frameArgs() in keyframes mode skips non-key frames before decoding and spaces them 1/fps", () => {
  const args = frameArgs({ ...base, mode: "keyframes", start: 1.5, duration: 3, width: 640 });
  const i = args.indexOf("-i");
  assert.deepEqual(args.slice(4, i), ["-skip_frame", "nokey", "-ss", "1.5", "-t", "3"]);
  assert.equal(
    args[args.indexOf("-vf") + 1],
    "select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,0.499)',scale=640:-2",
  );
  assert.deepEqual(args.slice(args.indexOf("-vsync"), args.indexOf("-vsync") + 2), [
    "-vsync",
    "vfr",
  ]);
});

Deno.test("codecArgs() maps quality 1-100 onto each encoder's scale", () => {
  assert.deepEqual(codecArgs("jpg", 100), ["-c:v", "mjpeg", "-q:v", "2"]);
  assert.deepEqual(codecArgs("jpg", 1), ["-c:v", "mjpeg", "-q:v", "31"]);
  assert.deepEqual(codecArgs("webp", 75), ["-c:v", "libwebp", "-quality", "75", "-lossless", "0"]);
  assert.deepEqual(codecArgs("png", undefined), ["-c:v", "png"]);
});
