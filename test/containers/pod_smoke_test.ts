import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildImage, ensureBaseImage } from "./mod.ts";
import { containerTest } from "./docker_gate.ts";
import { freePort } from "./free_port.ts";
import { POD_UID, type StartedPod, startPodContainer } from "./pod_container.ts";
import { docker } from "./_docker_cli.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));

/** Runs a Deno snippet inside the container (as the container's user) and returns its stdout. */
async function denoEval(pod: StartedPod, code: string): Promise<string> {
  const result = await pod.exec(["deno", "eval", code]);
  assert.equal(
    result.exitCode,
    0,
    `deno eval failed inside the container:\n${result.stdout}${result.stderr}`,
  );
  return result.stdout.trim();
}

await containerTest(
  "a pod container runs Deno and ffmpeg under gVisor, read-only, as uid 65534 with only /tmp and /shared writable",
  async (t) => {
    const base = await ensureBaseImage();
    const image = await buildImage(FIXTURES, "tntc-test/pod-smoke:latest", { BASE_IMAGE: base });
    const shared = await Deno.makeTempDir({ prefix: "tntc-smoke-shared-" });
    const port = freePort();
    try {
      await using pod = await startPodContainer({
        image,
        env: { PORT: String(port) },
        port,
        sharedDir: shared,
      });

      await t.step("the health endpoint answers on the host's 127.0.0.1", async () => {
        const response = await fetch(`${pod.url}/health`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { status: "ok" });
      });

      await t.step("Docker ran it with runsc, a read-only root and no capabilities", async () => {
        const hostConfig = JSON.parse(
          await docker(["inspect", "--format", "{{json .HostConfig}}", pod.id]),
        );
        assert.equal(hostConfig.Runtime, "runsc");
        assert.equal(hostConfig.ReadonlyRootfs, true);
        assert.equal(hostConfig.NetworkMode, "host");
        assert.deepEqual(hostConfig.CapDrop, ["ALL"]);
        assert.deepEqual(hostConfig.SecurityOpt, ["no-new-privileges"]);
      });

      await t.step("the kernel inside is gVisor's, not the host's", async () => {
        const inside = await denoEval(pod, `console.log(Deno.readTextFileSync("/proc/version"))`);
        const host = (await Deno.readTextFile("/proc/version")).trim();
        assert.notEqual(inside, host);
        assert.match(inside, /^Linux version/);
      });

      await t.step("processes run as uid 65534 with no effective capabilities", async () => {
        const status = await denoEval(
          pod,
          `console.log(Deno.readTextFileSync("/proc/self/status"))`,
        );
        assert.match(status, new RegExp(`^Uid:\\s+${POD_UID}\\s+${POD_UID}`, "m"));
        assert.match(status, /^CapEff:\s+0+$/m);
      });

      await t.step("/ is mounted read-only and cannot be written", async () => {
        const mounts = await denoEval(pod, `console.log(Deno.readTextFileSync("/proc/mounts"))`);
        const root = mounts.split("\n").map((line) => line.split(" ")).find((f) => f[1] === "/");
        assert.ok(root, `no / entry in /proc/mounts:\n${mounts}`);
        assert.ok(root[3]?.split(",").includes("ro"), `/ is not read-only: ${root.join(" ")}`);
        const write = `try { Deno.writeTextFileSync("/app/new.txt", "x"); console.log("written") }
           catch (e) { console.log(e.name + ": " + e.message) }`;
        assert.match(await denoEval(pod, write), /^PermissionDenied: /);
        // Even root cannot write: the file system itself refuses.
        const asRoot = await pod.exec(["deno", "eval", write], { user: "0" });
        assert.match(asRoot.stdout, /Read-only file system/, asRoot.stderr);
      });

      await t.step("/tmp is writable", async () => {
        const text = await denoEval(
          pod,
          `Deno.writeTextFileSync("/tmp/probe.txt", "tmp ok");
           console.log(Deno.readTextFileSync("/tmp/probe.txt"))`,
        );
        assert.equal(text, "tmp ok");
      });

      await t.step("a file written to /shared appears on the host owned by 65534", async () => {
        await denoEval(pod, `Deno.writeTextFileSync("/shared/from_pod.txt", "hello host")`);
        assert.equal(await Deno.readTextFile(`${shared}/from_pod.txt`), "hello host");
        const info = await Deno.stat(`${shared}/from_pod.txt`);
        assert.equal(info.uid, POD_UID);
      });

      await t.step("the server runs ffmpeg and its frames land in /shared", async () => {
        const response = await fetch(`${pod.url}/render`, {
          method: "POST",
          body: JSON.stringify({ count: 3, dir: "frames" }),
        });
        const result = await response.json();
        assert.equal(response.status, 200);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.files, ["frame_001.png", "frame_002.png", "frame_003.png"]);
        const png = await Deno.readFile(`${shared}/frames/frame_002.png`);
        assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      });
    } finally {
      await Deno.remove(shared, { recursive: true });
    }
  },
);
