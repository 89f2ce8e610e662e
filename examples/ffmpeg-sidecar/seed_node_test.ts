/**
 * The seed guide's node code (testdata/seed_extract_frames.ts, verbatim) against a real sidecar.
 *
 * The node calls `http://localhost:9000` literally. `deno task test --parallel` also runs the demo,
 * which serves a sidecar on 9000, so this test loads a copy of the node with that one URL moved to
 * a free port, and asserts the rewrite changed exactly that one place.
 * @module
 */
import assert from "node:assert/strict";
import type { Context } from "tentacular";
import { serveFfmpegSidecar } from "./serve.ts";
import { clip } from "./_test_media.ts";

type SeedNode = (ctx: Context, input: unknown) => Promise<unknown>;

/** The part of the engine's Context the seed node uses: `log`. */
function fakeContext(lines: string[]): Context {
  const log = (msg: string) => void lines.push(msg);
  return { log: { debug: log, info: log, warn: log, error: log } } as unknown as Context;
}

async function loadSeedNode(port: number, dir: string): Promise<SeedNode> {
  const source = await Deno.readTextFile(
    new URL("./testdata/seed_extract_frames.ts", import.meta.url),
  );
  let changed = 0;
  const moved = source.replace(/localhost:9000\b/g, () => (changed++, `localhost:${port}`));
  assert.equal(changed, 1, "the seed node names localhost:9000 exactly once");
  await Deno.writeTextFile(`${dir}/extract_frames.ts`, moved);
  return (await import(`file://${dir}/extract_frames.ts`)).default as SeedNode;
}

Deno.test("the seed guide's extract-frames node works unchanged against the sidecar", async () => {
  const shared = await Deno.makeTempDir({ prefix: "ffmpeg-seed-shared-" });
  const code = await Deno.makeTempDir({ prefix: "ffmpeg-seed-node-" });
  try {
    await Deno.mkdir(`${shared}/input`);
    await Deno.copyFile(await clip({ seconds: 3 }), `${shared}/input/video.mp4`);
    await using server = await serveFfmpegSidecar({
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
    await server.sidecar.ready;
    const seedNode = await loadSeedNode(server.port, code);
    const lines: string[] = [];
    const out = await seedNode(fakeContext(lines), { videoPath: "/shared/input/video.mp4" }) as {
      frames: string[];
      frameCount: number;
    };
    assert.equal(out.frameCount, 3);
    assert.equal(out.frames.length, 3);
    for (const f of out.frames) {
      assert.match(f, /^\/shared\/output\/[0-9a-f-]{36}\/frame_000[1-3]\.jpg$/);
      assert.ok((await Deno.stat(`${shared}${f.slice("/shared".length)}`)).size > 0);
    }
    assert.match(lines[0] ?? "", /^extracted 3 frames in \d+ms$/);

    await assert.rejects(
      () => seedNode(fakeContext(lines), { videoPath: "/shared/input/missing.mp4" }),
      /^Error: ffmpeg failed: invalid input: input: path "\/shared\/input\/missing\.mp4" does not exist$/,
    );
  } finally {
    await Deno.remove(shared, { recursive: true });
    await Deno.remove(code, { recursive: true });
  }
});
