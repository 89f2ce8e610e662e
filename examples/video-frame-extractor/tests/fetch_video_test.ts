import assert from "node:assert/strict";
import fetchVideo from "../nodes/fetch-video.ts";
import { fakeContext } from "./fake_context.ts";
import { makeClip } from "./media.ts";

/** A loopback server: `/clip.mp4` (a real clip), `/page.html`, `/missing` (404). */
async function videoServer() {
  const dir = await Deno.makeTempDir();
  const clip = await Deno.readFile(await makeClip(`${dir}/clip.mp4`, { before: 1 }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/videos/clip.mp4") {
      return new Response(clip, { headers: { "content-type": "video/mp4" } });
    }
    if (path === "/page.html") return new Response("<!DOCTYPE html><p>sign in</p>");
    return new Response("nope", { status: 404, statusText: "Not Found" });
  });
  const sharedDir = await Deno.makeTempDir();
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    clip,
    base,
    sharedDir,
    ctx: (config: Record<string, unknown> = {}) =>
      fakeContext({ sharedDir, config, dependencies: { "video-source": base } }),
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(sharedDir, { recursive: true });
    },
  };
}

Deno.test("fetch-video downloads the URL through the declared dependency into /shared/input/<run>", async () => {
  await using s = await videoServer();
  const ctx = s.ctx();
  const out = await fetchVideo(ctx, { videoUrl: `${s.base}/videos/clip.mp4` });
  assert.deepEqual(out, {
    videoPath: "/shared/input/run-1/clip.mp4",
    bytes: s.clip.length,
    source: "url",
    container: "mp4",
  });
  assert.deepEqual(await Deno.readFile(`${s.sharedDir}/input/run-1/clip.mp4`), s.clip);
  assert.equal(ctx.logs[0]!.msg, `downloaded ${s.clip.length} bytes`);
});

Deno.test("fetch-video refuses a URL whose origin is not the declared dependency", async () => {
  await using s = await videoServer();
  await assert.rejects(fetchVideo(s.ctx(), { videoUrl: "https://example.com/a.mp4" }), {
    name: "TypeError",
    message:
      `fetch-video: videoUrl origin https://example.com is not the declared dependency "video-source" (${s.base})`,
  });
});

Deno.test("fetch-video reports the HTTP status of a failed download", async () => {
  await using s = await videoServer();
  await assert.rejects(fetchVideo(s.ctx(), { videoUrl: `${s.base}/missing` }), {
    message: `fetch-video: GET ${s.base}/missing answered 404 Not Found`,
  });
});

Deno.test("fetch-video refuses a page that is not a video and leaves no partial file", async () => {
  await using s = await videoServer();
  await assert.rejects(fetchVideo(s.ctx(), { videoUrl: `${s.base}/page.html` }), {
    message: new RegExp(
      `^fetch-video: ${s.base}/page.html is not a video \\(mp4/mov, mkv/webm, avi, flv or MPEG-TS\\); ` +
        `it starts with "<!DOCTYPE ht"$`,
    ),
  });
  assert.deepEqual([...Deno.readDirSync(`${s.sharedDir}/input/run-1`)], []);
});

Deno.test("fetch-video stops a download over config.max_video_bytes and removes it", async () => {
  await using s = await videoServer();
  await assert.rejects(
    fetchVideo(s.ctx({ max_video_bytes: 1000 }), { videoUrl: `${s.base}/videos/clip.mp4` }),
    {
      message:
        `fetch-video: ${s.base}/videos/clip.mp4 is ${s.clip.length} bytes, over the limit of 1000`,
    },
  );
  assert.deepEqual([...Deno.readDirSync(s.sharedDir)], []);
});

Deno.test("fetch-video accepts a video already on the shared volume", async () => {
  await using s = await videoServer();
  await Deno.mkdir(`${s.sharedDir}/input`);
  await Deno.writeFile(`${s.sharedDir}/input/local.mp4`, s.clip);
  assert.deepEqual(await fetchVideo(s.ctx(), { videoPath: "/shared/input/local.mp4" }), {
    videoPath: "/shared/input/local.mp4",
    bytes: s.clip.length,
    source: "shared",
    container: "mp4",
  });
  await assert.rejects(fetchVideo(s.ctx(), { videoPath: "/shared/input/none.mp4" }), {
    message: "fetch-video: /shared/input/none.mp4 is not a file on the shared volume",
  });
});

Deno.test("fetch-video lists every input problem at once", async () => {
  const ctx = fakeContext({ sharedDir: "/x" });
  await assert.rejects(fetchVideo(ctx, { videoUrl: 42 }), {
    name: "TypeError",
    message: "fetch-video: videoUrl must be a string",
  });
  await assert.rejects(fetchVideo(ctx, {}), /give exactly one of videoUrl .* or videoPath/);
  await assert.rejects(fetchVideo(ctx, { videoUrl: "ftp://a/b", videoPath: "/shared/a" }), {
    message: "fetch-video: give exactly one of videoUrl (http/https URL) or videoPath " +
      '(/shared/... or a workflow file); videoUrl must be an http(s) URL, got "ftp://a/b"',
  });
  await assert.rejects(fetchVideo(ctx, { videoPath: "/etc/passwd" }), {
    message:
      'fetch-video: videoPath "/etc/passwd" must be a /shared/... path or a path inside the workflow',
  });
  await assert.rejects(fetchVideo(ctx, { videoPath: "../../etc/passwd" }), /must be a \/shared/);
});
