/**
 * The whole workflow pod under Docker + gVisor: the engine image (Dockerfile.engine) and the
 * ffmpeg sidecar image (examples/ffmpeg-sidecar/Dockerfile) run as two containers that share the
 * host network (= the pod's network namespace) and one `/shared` directory, each with a
 * read-only root, a tmpfs `/tmp`, no capabilities and uid 65534. The engine runs
 * `examples/video-frame-extractor` with exactly `engineCommand()`.
 *
 * The workflow declares its sidecar on port 9000 and the seed's node code calls
 * `http://localhost:9000` literally. Every container test shares the host's one network
 * namespace, and `examples/demo` (run by the same `deno task test --parallel`) serves a sidecar on
 * 9000, so this test copies the workflow's files (the ones the pod's ConfigMap carries) and moves
 * that port to a free one, in workflow.yaml and in the node code; the rewrite asserts that it
 * changed exactly those two places.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readWorkflowFiles } from "../../engine/k8s/workflow_files.ts";
import { loadWorkflow } from "../../engine/spec/load.ts";
import { buildAppImage } from "./app_image.ts";
import { containerTest } from "./docker_gate.ts";
import { startEngineContainer } from "./engine_container.ts";
import { buildEngineImage } from "./engine_image.ts";
import { freePort } from "./free_port.ts";
import { POD_UID, startPodContainer } from "./pod_container.ts";

const EXAMPLE = fileURLToPath(new URL("../../examples/video-frame-extractor", import.meta.url));
const CLIP_SECONDS = 5;

/** Writes the workflow's ConfigMap files to `dir`, with the sidecar moved from 9000 to `port`. */
async function stageWorkflow(dir: string, port: number): Promise<void> {
  const files = await readWorkflowFiles(await loadWorkflow(EXAMPLE));
  await Deno.chmod(dir, 0o755); // readable by 65534, as a ConfigMap volume is
  let changed = 0;
  for (const file of files) {
    const pattern = file.path === "workflow.yaml" ? /^(\s+port:) 9000$/m : /localhost:9000\b/g;
    const text = file.text.replace(pattern, (match) => {
      changed++;
      return match.replace("9000", String(port));
    });
    await Deno.mkdir(`${dir}/${file.path}`.replace(/\/[^/]+$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${file.path}`, text);
  }
  assert.equal(changed, 2, "expected port 9000 once in workflow.yaml and once in the node code");
}

/** A small H.264 clip whose picture changes every frame (ffmpeg's testsrc2). */
async function generateClip(path: string): Promise<void> {
  await Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true });
  const out = await new Deno.Command("ffmpeg", {
    args: ["-v", "error", "-f", "lavfi", "-i", `testsrc2=size=320x240:rate=25`, "-t"]
      .concat([String(CLIP_SECONDS), "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", path]),
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

/** Polls `url` until it answers 200; returns every status seen, in order, deduplicated. */
async function waitFor200(url: string, timeoutMs: number): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then(async (r) => (await r.body?.cancel(), r.status), () => 0);
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 200) return seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (saw ${seen.join(", ")})`);
}

await containerTest(
  "a whole pod runs the video-frame-extractor: engine and ffmpeg sidecar share localhost and /shared",
  async (t) => {
    const [engineImage, sidecarImage] = await Promise.all([
      buildEngineImage(),
      buildAppImage({
        dockerfile: "examples/ffmpeg-sidecar/Dockerfile",
        entrypoints: ["examples/ffmpeg-sidecar/main.ts"],
        // The same repository as ffmpeg_sidecar_test.ts: one build serves both tests.
        repository: "tntc-local/ffmpeg-sidecar-example",
      }),
    ]);
    const app = await Deno.makeTempDir({ prefix: "tntc-pod-app-" });
    const shared = await Deno.makeTempDir({ prefix: "tntc-pod-shared-" });
    try {
      const [sidecarPort, enginePort] = [freePort(), freePort()];
      await stageWorkflow(app, sidecarPort);
      await generateClip(`${shared}/input/clip.mp4`);
      await using engine = await startEngineContainer({
        image: engineImage,
        workflowDir: app,
        port: enginePort,
        sharedDir: shared,
      });
      assert.ok(
        engine.argv.includes(
          `--allow-net=commondatastorage.googleapis.com:443,localhost:${sidecarPort},127.0.0.1:${enginePort}`,
        ),
      );

      await t.step("/ready answers 503 and names the sidecar while it is down", async () => {
        const response = await fetch(`${engine.url}/ready`);
        const body = await response.json();
        assert.equal(response.status, 503, JSON.stringify(body));
        assert.equal(body.sidecars.ffmpeg.ready, false);
        assert.equal(body.sidecars.ffmpeg.url, `http://localhost:${sidecarPort}/health`);
      });

      await using _sidecar = await startPodContainer({
        image: sidecarImage,
        port: sidecarPort,
        env: { PORT: String(sidecarPort), HOST: "127.0.0.1", LOG_LEVEL: "info" },
        sharedDir: shared,
      });

      await t.step("/ready becomes 200 once the sidecar is healthy", async () => {
        const seen = await waitFor200(`${engine.url}/ready`, 30_000);
        assert.equal(seen.at(-1), 200);
        const body = await (await fetch(`${engine.url}/ready`)).json();
        assert.equal(body.sidecars.ffmpeg.ready, true);
      });

      // deno-lint-ignore no-explicit-any
      let result: any;
      await t.step(
        "POST /run extracts the clip's frames into /shared and analyzes them",
        async () => {
          const response = await fetch(`${engine.url}/run`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ videoPath: "/shared/input/clip.mp4" }),
          });
          result = await response.json();
          assert.equal(response.status, 200, JSON.stringify(result));
          assert.equal(result.success, true, JSON.stringify(result.errors));
          const extracted = result.outputs["extract-frames"];
          assert.equal(extracted.frameCount, CLIP_SECONDS * 1);
          assert.equal(extracted.frames.length, CLIP_SECONDS);
          const analysis = result.outputs["analyze-frames"];
          assert.deepEqual([analysis.frameCount, analysis.width, analysis.height], [5, 320, 240]);
          for (const frame of extracted.frames as string[]) {
            assert.match(frame, /^\/shared\/output\/.+\.jpg$/);
            const host = `${shared}${frame.slice("/shared".length)}`;
            const info = await Deno.stat(host);
            assert.equal(info.uid, POD_UID, `${frame} is owned by ${info.uid}`);
            const bytes = await Deno.readFile(host);
            assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], `${frame} is not a JPEG`);
          }
        },
      );

      await t.step("the run result has every node's timing", () => {
        const names = ["fetch-video", "extract-frames", "analyze-frames"];
        assert.deepEqual(Object.keys(result.nodes).sort(), [...names].sort());
        let sum = 0;
        for (const name of names) {
          const node = result.nodes[name];
          assert.equal(node.status, "ok", name);
          assert.equal(node.attempts, 1, name);
          assert.ok(Number.isFinite(Date.parse(node.startedAt)), `${name}.startedAt`);
          assert.ok(node.durationMs >= 0, `${name}.durationMs`);
          sum += node.durationMs;
        }
        assert.ok(result.nodes["extract-frames"].durationMs > 0);
        assert.ok(result.timing.durationMs >= sum - names.length, JSON.stringify(result.timing));
        assert.ok(Date.parse(result.timing.finishedAt) >= Date.parse(result.timing.startedAt));
      });
    } finally {
      await Deno.remove(app, { recursive: true });
      await Deno.remove(shared, { recursive: true });
    }
  },
);
