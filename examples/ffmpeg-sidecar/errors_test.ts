import assert from "node:assert/strict";
import { startTestSidecar, type TestSidecar } from "@tntc/sidecar-kit/testing";
import { createFfmpegSidecar } from "./sidecar.ts";
import { clip, ffmpegCli, share } from "./_test_media.ts";

function start(env: Record<string, string> = {}): Promise<TestSidecar> {
  return startTestSidecar(createFfmpegSidecar({ npm: false }), {
    env: { LOG_LEVEL: "error", ...env },
  });
}

async function post(t: TestSidecar, job: string, body: unknown) {
  const res = await t.postJson(job, body);
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

Deno.test("a missing input is a 400 that names the path", async () => {
  await using t = await start();
  for (const job of ["extract-frames", "probe", "thumbnail", "transcode"]) {
    const r = await post(t, job, { input: "/shared/input/nope.mp4", output: "/shared/o/x.jpg" });
    assert.equal(r.status, 400, job);
    assert.match(String(r.body.error), /input: path "\/shared\/input\/nope\.mp4" does not exist/);
  }
});

Deno.test("paths outside the shared directory are refused with 400", async () => {
  await using t = await start();
  await Deno.symlink("/etc", `${t.sharedDir}/etc-link`);
  const cases: Array<[string, RegExp]> = [
    ["/shared/../etc/passwd", /must not contain '\.\.' segments/],
    ["/etc/passwd", /must be inside \/shared/],
    ["/shared/etc-link/passwd", /resolves outside \/shared/],
  ];
  for (const [input, why] of cases) {
    const r = await post(t, "extract-frames", { input });
    assert.equal(r.status, 400, input);
    assert.match(String(r.body.error), why);
  }
  const input = await share(t, await clip({ seconds: 1 }), "/shared/in/a.mp4");
  const out = await post(t, "extract-frames", { input, output_dir: "/shared/../../tmp" });
  assert.equal(out.status, 400);
  assert.match(String(out.body.error), /output_dir: path .* must not contain '\.\.' segments/);
});

Deno.test("an output path through a file is a 400 in pod form, not a 500 with the host path", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 1 }), "/shared/in/a.mp4");
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["extract-frames", { input, output_dir: input }, input],
    ["thumbnail", { input, output: `${input}/t.jpg` }, input],
    ["transcode", { input, output: `${input}/c.mp4` }, input],
  ];
  for (const [job, body, file] of cases) {
    const r = await post(t, job, body);
    assert.equal(r.status, 400, `${job}: ${JSON.stringify(r.body)}`);
    assert.match(String(r.body.error), new RegExp(`"${file}.*" cannot be a directory`), job);
    assert.ok(!String(r.body.error).includes(t.sharedDir), `${job}: no host path`);
  }
});

Deno.test("a start past the end of the input is a 422 for every job that takes one", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 2 }), "/shared/in/a.mp4");
  const frames = await post(t, "extract-frames", { input, start: 30 });
  assert.equal(frames.status, 422, JSON.stringify(frames.body));
  assert.equal(
    frames.body.error,
    'start 30 s is at or past the end: input "/shared/in/a.mp4" is 2 s long',
  );
  // No frame is a right answer too: one frame per 10 s of a 2 s clip.
  const none = await post(t, "extract-frames", { input, fps: 0.1 });
  assert.deepEqual([none.status, none.body.count], [200, 0]);
  const coded = await post(t, "transcode", { input, output: "/shared/out/b.mp4", start: 30 });
  assert.equal(coded.status, 422, JSON.stringify(coded.body));
  assert.equal(
    coded.body.error,
    'start 30 s is at or past the end: input "/shared/in/a.mp4" is 2 s long',
  );
  const thumb = await post(t, "thumbnail", { input, at: 30, output: "/shared/out/t.jpg" });
  assert.equal(thumb.status, 422);
  // Nothing half-made is left: no frames, no partial files (empty folders may stay).
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) walk(`${dir}/${e.name}`);
      else files.push(`${dir}/${e.name}`.slice(t.sharedDir.length));
    }
  };
  walk(t.sharedDir);
  assert.deepEqual(files, ["/in/a.mp4"]);
});

Deno.test("an output equal to the input or naming a directory is a 400 with issues[], like other 400s", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 1 }), "/shared/in/a.mp4");
  const same = await post(t, "transcode", { input, output: input });
  assert.equal(same.status, 400);
  assert.deepEqual(same.body.issues, [
    { path: "output", message: 'must differ from input "/shared/in/a.mp4"', code: "custom" },
  ]);
  await Deno.mkdir(`${t.sharedDir}/clip.mp4`);
  const dir = await post(t, "transcode", { input, output: "/shared/clip.mp4" });
  assert.equal(dir.status, 400);
  assert.deepEqual(dir.body.issues, [
    { path: "output", message: '"/shared/clip.mp4" is a directory', code: "custom" },
  ]);
});

Deno.test("invalid options are all reported at once, naming each field", async () => {
  await using t = await start();
  const input = await share(t, await clip({ seconds: 1 }), "/shared/in/a.mp4");
  const r = await post(t, "extract-frames", {
    input,
    fps: 0,
    format: "gif",
    mode: "fast",
    width: 1.5,
    colour: "red",
  });
  assert.equal(r.status, 400);
  const issues = (r.body.issues as { path: string }[]).map((i) => i.path).sort();
  assert.deepEqual(issues, ["(body)", "format", "fps", "mode", "width"]);
  const png = await post(t, "extract-frames", { input, format: "png", quality: 80 });
  assert.equal(png.status, 400);
  assert.match(String(png.body.error), /quality: png is lossless/);
});

Deno.test("a file that is not a video is a 422 quoting ffmpeg's reason", async () => {
  await using t = await start();
  const input = await t.writeShared("/shared/input/notes.txt", "just some text, not a video\n");
  for (const job of ["extract-frames", "probe"]) {
    const r = await post(t, job, { input });
    assert.equal(r.status, 422, job);
    assert.equal(
      r.body.error,
      'input "/shared/input/notes.txt" is not a readable video: ' +
        "/shared/input/notes.txt: Invalid data found when processing input",
    );
    assert.equal(r.body.exit_code, 1);
  }
  // The failed jobs left no per-job directory behind.
  assert.deepEqual([...Deno.readDirSync(`${t.sharedDir}/output`)], []);
});

Deno.test("a truncated MP4 is a 422 saying the moov atom is missing", async () => {
  await using t = await start();
  const whole = await Deno.readFile(await clip({ seconds: 2 }));
  const input = await t.writeShared("/shared/in/cut.mp4", whole.subarray(0, whole.length >> 1));
  const r = await post(t, "extract-frames", { input });
  assert.equal(r.status, 422);
  assert.match(String(r.body.error), /^input "\/shared\/in\/cut\.mp4" is not a readable video: /);
  assert.match(
    String(r.body.error),
    /\[mov,mp4,m4a,3gp,3g2,mj2\] moov atom not found; \/shared\/in\/cut\.mp4: Invalid data found/,
  );
});

Deno.test("an audio-only file is a 422 saying it has no video stream", async () => {
  await using t = await start();
  const dir = await Deno.makeTempDir();
  try {
    await ffmpegCli(["-v", "error", "-f", "lavfi", "-i", "sine", "-t", "1", `${dir}/a.m4a`]);
    const input = await share(t, `${dir}/a.m4a`, "/shared/in/a.m4a");
    const r = await post(t, "extract-frames", { input });
    assert.equal(r.status, 422);
    assert.match(String(r.body.error), /^input "\/shared\/in\/a\.m4a" has no video stream: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Pids of live processes whose command line mentions `needle`. */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).replaceAll("\0", " ");
      const state = /^State:\s+(\S)/m.exec(Deno.readTextFileSync(`/proc/${e.name}/status`))?.[1];
      if (cmd.includes(needle) && state !== "Z") pids.push(Number(e.name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

Deno.test("a job over the timeout is a 504 and leaves no ffmpeg process behind", async () => {
  await using t = await start({ JOB_TIMEOUT_MS: "1000" });
  const input = await share(
    t,
    await clip({ seconds: 10, size: "1280x720" }),
    `/shared/slow-${crypto.randomUUID()}.mp4`,
  );
  const real = t.paths.toReal(input);
  const pending = post(t, "extract-frames", { input, fps: 30, format: "png" });
  // ffmpeg really started: it shows up in /proc while the job runs.
  let seen = false;
  let settled = false;
  pending.then(() => settled = true, () => settled = true);
  while (!seen && !settled) {
    seen = processesMentioning(real).length > 0;
    if (!seen) await new Promise((r) => setTimeout(r, 10));
  }
  const r = await pending;
  // The kit answers only once ffmpeg's process group is gone: nothing to wait for here.
  const left = processesMentioning(real);
  assert.ok(seen, "ffmpeg was seen running");
  assert.equal(r.status, 504);
  assert.match(String(r.body.error), /timed out after 1000 ms/);
  assert.deepEqual(left, [], "no ffmpeg left running when the 504 arrives");
});
