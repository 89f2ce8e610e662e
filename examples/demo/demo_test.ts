import assert from "node:assert/strict";

const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname).replace(/\/$/, "");
const SHARED = `${ROOT}/examples/video-frame-extractor/.tntc/shared`;
const FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-run",
  "--allow-env",
  "--allow-net=127.0.0.1,localhost",
  "--allow-sys",
];

/** Runs the demo exactly as `deno task demo` does, with a 6 s sample; output is captured. */
function startDemo(): { child: Deno.ChildProcess; output: () => string; done: Promise<string> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...FLAGS, "examples/demo/main.ts", "--seconds", "6"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const read = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const done = Promise.all([read(child.stdout), read(child.stderr)]).then(() => text);
  return { child, output: () => text, done };
}

/** Processes (other than this test) whose command line or environment names the demo's shared dir. */
function leftovers(): string[] {
  const found: string[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    try {
      const cmd = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      const env = Deno.readTextFileSync(`/proc/${entry.name}/environ`);
      if (cmd.includes(SHARED) || env.includes(SHARED)) found.push(`${entry.name}: ${cmd}`);
    } catch {
      // Exited while scanning, or not ours to read.
    }
  }
  return found;
}

function portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

Deno.test("the demo runs the workflow end to end, prints a summary and leaves no process behind", async () => {
  const demo = startDemo();
  const [status, out] = await Promise.all([demo.child.status, demo.done]);
  assert.equal(status.code, 0, out);
  assert.match(out, /✓ Creating a 6 s 720p H\.264 sample video/);
  assert.match(out, /✓ Starting the ffmpeg sidecar on 127\.0\.0\.1:9000/);
  assert.match(
    out,
    /--allow-net=commondatastorage\.googleapis\.com:443,localhost:9000,127\.0\.0\.1:\d+ /,
  );
  assert.match(out, /Run [0-9a-f-]{36} succeeded in /);
  assert.match(out, /Frames {11}6 extracted at 1 fps, 1280×720 JPEG/);
  assert.match(out, /Realtime factor {2}\d+\.\d× \(6 s of video in /);
  // The sample is test pattern → bars → test pattern, 2 s each: cuts before frames 3 and 5.
  assert.match(out, /Scene changes {4}frame 3 at 2 s \(\d\.\d\d\), frame 5 at 4 s \(\d\.\d\d\)\n/);
  for (const node of ["fetch-video", "extract-frames", "analyze-frames"]) {
    assert.match(out, new RegExp(`\\n  ${node} +ok +1 +\\d`));
  }
  const dir = /Frames are in {4}(\S+)\//.exec(out)?.[1];
  assert.ok(dir !== undefined && dir.startsWith(`${SHARED}/output/`), out);
  const frames = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(frames, [1, 2, 3, 4, 5, 6].map((i) => `frame_000${i}.jpg`));
  assert.match(out, /✓ Stopping the engine and the sidecar/);
  assert.deepEqual(leftovers(), []);
  assert.ok(portFree(9000), "port 9000 is still taken");
});

Deno.test("Ctrl-C during the demo stops the sidecar and the engine and exits 130", async () => {
  const demo = startDemo();
  const deadline = Date.now() + 120_000;
  while (!/✓ Starting the ffmpeg sidecar/.test(demo.output())) {
    assert.ok(Date.now() < deadline, `the sidecar never started:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  demo.child.kill("SIGINT");
  const [status, out] = await Promise.all([demo.child.status, demo.done]);
  assert.equal(status.code, 130, out);
  assert.match(out, /✓ Stopping the engine and the sidecar/);
  assert.match(out, /demo interrupted: interrupted/);
  assert.deepEqual(leftovers(), []);
  assert.ok(portFree(9000), "port 9000 is still taken");
});
