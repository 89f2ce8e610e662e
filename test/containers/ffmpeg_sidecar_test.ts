/**
 * The ffmpeg sidecar image (examples/ffmpeg-sidecar/Dockerfile) run the way a pod runs it: gVisor,
 * host network, read-only root, no capabilities, uid 65534, a tmpfs /tmp and a bind-mounted
 * /shared. Checks health and real frame extractions on a generated clip.
 *
 * @module
 */
import assert from "node:assert/strict";
import { buildAppImage, containerTest, freePort, POD_UID, startPodContainer } from "./mod.ts";

const CLIP_SECONDS = 3;

async function run(bin: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "piped" }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

async function extract(url: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/extract-frames`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

await containerTest(
  "the ffmpeg sidecar image serves health and extracts frames under gVisor as uid 65534",
  async (t) => {
    const image = await buildAppImage({
      dockerfile: "examples/ffmpeg-sidecar/Dockerfile",
      entrypoints: ["examples/ffmpeg-sidecar/main.ts"],
      repository: "tntc-local/ffmpeg-sidecar-example",
    });
    const shared = await Deno.makeTempDir({ prefix: "tntc-ffmpeg-shared-" });
    try {
      await Deno.mkdir(`${shared}/input`);
      await run("ffmpeg", [
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=30",
        "-t",
        String(CLIP_SECONDS),
        "-c:v",
        "libx264",
        "-g",
        "30",
        "-pix_fmt",
        "yuv420p",
        `${shared}/input/clip.mp4`,
      ]);
      await Deno.chmod(`${shared}/input/clip.mp4`, 0o644);
      const port = freePort();
      await using pod = await startPodContainer({
        image,
        port,
        env: { PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
        sharedDir: shared,
      });

      await t.step("GET /health names the image's ffmpeg and its version", async () => {
        const response = await fetch(`${pod.url}/health`);
        const body = await response.json();
        assert.equal(response.status, 200, JSON.stringify(body));
        const hostVersion = /^ffmpeg version (\S+)/.exec(await run("ffmpeg", ["-version"]))?.[1];
        assert.equal(body.status, "ok");
        assert.equal(body.ffmpeg, "/usr/bin/ffmpeg");
        assert.equal(body.version, hostVersion);
        assert.deepEqual(body.sources, { ffmpeg: "env", ffprobe: "env" });
      });

      await t.step("POST /extract-frames writes one frame per second into /shared", async () => {
        for (const mode of ["exact", "keyframes"]) {
          const { status, body } = await extract(pod.url, {
            input: "/shared/input/clip.mp4",
            fps: 1,
            mode,
          });
          assert.equal(status, 200, JSON.stringify(body));
          assert.equal(body.count, CLIP_SECONDS, mode);
          for (const frame of body.frames as string[]) {
            assert.match(frame, /^\/shared\/output\/[0-9a-f-]{36}\/frame_000\d\.jpg$/);
            const info = await Deno.stat(`${shared}${frame.slice("/shared".length)}`);
            assert.ok(info.size > 1000, `${frame} is a real image`);
            assert.equal(info.uid, POD_UID, "written by the sidecar's uid 65534");
          }
        }
      });

      await t.step("bad input gets the same clear errors as outside the container", async () => {
        const missing = await extract(pod.url, { input: "/shared/input/none.mp4" });
        assert.equal(missing.status, 400);
        assert.match(missing.body.error, /input: path "\/shared\/input\/none\.mp4" does not exist/);
        const escape = await extract(pod.url, { input: "/shared/../etc/passwd" });
        assert.equal(escape.status, 400);
      });
    } finally {
      await Deno.remove(shared, { recursive: true });
    }
  },
);
