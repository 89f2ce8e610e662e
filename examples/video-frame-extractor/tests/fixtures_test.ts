import { fakeContext } from "./fake_context.ts";
import { registerFixtureTests } from "./fixtures.ts";
import { makeClip } from "./media.ts";

/** A shared dir with `input/sample.mp4` (3 s + 3 s, one cut) and its 1 fps frames in `frames/`. */
async function sampleSharedDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/input`);
  await Deno.mkdir(`${dir}/frames`);
  await makeClip(`${dir}/input/sample.mp4`, { before: 3, after: 3 });
  const { success, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      "-i",
      `${dir}/input/sample.mp4`,
      "-vf",
      "fps=1",
      `${dir}/frames/frame_%04d.jpg`,
    ],
  }).output();
  if (!success) throw new Error(new TextDecoder().decode(stderr));
  return dir;
}

registerFixtureTests(new URL("..", import.meta.url), async () => {
  const sharedDir = await sampleSharedDir();
  return Object.assign(fakeContext({ sharedDir, config: { fps: 1 } }), {
    [Symbol.asyncDispose]: () => Deno.remove(sharedDir, { recursive: true }),
  });
});
