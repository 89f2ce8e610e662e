import assert from "node:assert/strict";
import { decodeJpegLuma } from "./jpeg_luma.ts";
import { meanLuma } from "../nodes/analyze-frames.ts";
import { ffmpegMeanLuma, makeJpeg } from "../tests/media.ts";

const CASES = [
  {
    name: "720p 4:2:0 test pattern",
    source: "testsrc2=size=1280x720",
    pix: "yuvj420p",
    cols: 160,
    rows: 90,
  },
  {
    name: "odd-sized 4:4:4 test pattern",
    source: "testsrc2=size=102x74",
    pix: "yuvj444p",
    cols: 13,
    rows: 10,
  },
  { name: "4:2:2 bars", source: "smptebars=size=96x64", pix: "yuvj422p", cols: 12, rows: 8 },
  { name: "grayscale pattern", source: "testsrc2=size=64x48", pix: "gray", cols: 8, rows: 6 },
];

for (const c of CASES) {
  Deno.test(`decodeJpegLuma() matches ffmpeg's mean luma within 0.5 for a ${c.name}`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const path = await makeJpeg(`${dir}/f.jpg`, c.source, c.pix);
      const grid = decodeJpegLuma(await Deno.readFile(path));
      assert.deepEqual([grid.cols, grid.rows], [c.cols, c.rows]);
      const expected = await ffmpegMeanLuma(path);
      assert.ok(
        Math.abs(meanLuma(grid) - expected) < 0.5,
        `${meanLuma(grid)} vs ffmpeg ${expected}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("decodeJpegLuma() reads a black and a white frame as 0 and 255 per block", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [color, value] of [["black", 0], ["white", 255]] as const) {
      const path = await makeJpeg(`${dir}/${color}.jpg`, `color=c=${color}:size=32x16`, "yuvj420p");
      const grid = decodeJpegLuma(await Deno.readFile(path));
      assert.equal(grid.luma.length, 8);
      for (const v of grid.luma) assert.ok(Math.abs(v - value) <= 1, `${color}: ${v}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeJpegLuma() rejects data that is not a JPEG", () => {
  assert.throws(() => decodeJpegLuma(new TextEncoder().encode("<!DOCTYPE html>")), {
    name: "SyntaxError",
    message: "not a JPEG (no SOI marker)",
  });
});

Deno.test("decodeJpegLuma() reports a truncated JPEG instead of returning a partial image", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = await Deno.readFile(
      await makeJpeg(`${dir}/t.jpg`, "testsrc2=size=320x240", "yuvj420p"),
    );
    assert.throws(() => decodeJpegLuma(bytes.subarray(0, bytes.length / 2)), {
      name: "SyntaxError",
      message: /truncated JPEG|corrupt JPEG/,
    });
    assert.throws(() => decodeJpegLuma(bytes.subarray(0, 100)), /truncated JPEG/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeJpegLuma() refuses progressive JPEGs with a RangeError naming the SOF type", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = await Deno.readFile(
      await makeJpeg(`${dir}/p.jpg`, "testsrc2=size=64x48", "yuvj420p"),
    );
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc0);
    bytes[sof + 1] = 0xc2;
    assert.throws(() => decodeJpegLuma(bytes), {
      name: "RangeError",
      message: "unsupported JPEG: SOF2 (only baseline Huffman JPEG)",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
