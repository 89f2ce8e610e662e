import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { engineCommand } from "../../engine/server/engine_command.ts";
import { validateWorkflow } from "../../engine/spec/validate.ts";
import { containerTest } from "./docker_gate.ts";
import { startEngineContainer } from "./engine_container.ts";
import { buildEngineImage } from "./engine_image.ts";
import { freePort } from "./free_port.ts";
import { POD_UID } from "./pod_container.ts";
import { docker } from "./_docker_cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKFLOW = fileURLToPath(new URL("./fixtures/engine-workflow", import.meta.url));
const DOCKERFILE = await Deno.readTextFile(`${ROOT}/Dockerfile.engine`);

Deno.test("the default CMD of Dockerfile.engine is engineCommand() for a workflow without sidecars", () => {
  const line = DOCKERFILE.split("\n").find((l) => l.startsWith("CMD "));
  assert.ok(line, "Dockerfile.engine has no CMD");
  const plain = validateWorkflow('name: plain\nversion: "1"\nnodes:\n  n:\n    path: ./n.ts\n');
  assert.deepEqual(JSON.parse(line.slice(4)), engineCommand(plain).slice(1));
});

await containerTest(
  "the engine image serves a read-only /app workflow under gVisor as 65534 and its sandbox still denies /etc/passwd",
  async (t) => {
    const image = await buildEngineImage();
    const port = freePort();
    await using engine = await startEngineContainer({ image, workflowDir: WORKFLOW, port });

    await t.step("the container runs exactly engineCommand() for the pod layout", async () => {
      const state = JSON.parse(await docker(["inspect", "--format", "{{json .}}", engine.id]));
      assert.deepEqual([state.Path, ...state.Args], engine.argv);
      assert.deepEqual(engine.argv.slice(-11), [
        "/opt/tntc/engine/main.ts",
        ...["--workflow", "/app", "--listen", `127.0.0.1:${port}`, "--secrets", "/var/run/secrets"],
        ...["--shared", "/shared", "--tmp", "/tmp"],
      ]);
      assert.ok(engine.argv.includes("--cached-only") && !engine.argv.includes("-A"));
      assert.equal(state.HostConfig.Runtime, "runsc");
      assert.equal(state.HostConfig.ReadonlyRootfs, true);
      assert.equal(state.Config.User, String(POD_UID));
      assert.ok(state.HostConfig.Binds.some((bind: string) => bind.endsWith(":/app:ro")));
    });

    await t.step("the image holds only the engine's code, runs as nobody by default", async () => {
      const config = JSON.parse(
        await docker(["image", "inspect", "--format", "{{json .Config}}", image]),
      );
      assert.equal(config.User, `${POD_UID}:${POD_UID}`);
      const listing = await engine.exec([
        "deno",
        "eval",
        `for (const e of Deno.readDirSync("/opt/tntc")) console.log(e.name)`,
      ]);
      assert.deepEqual(listing.stdout.trim().split("\n").sort(), [
        "deno.json",
        "deno.lock",
        "engine",
      ]);
    });

    await t.step(
      "POST /run succeeds and writes scratch files to /tmp on the read-only root",
      async () => {
        const response = await fetch(`${engine.url}/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "container" }),
        });
        const result = await response.json();
        assert.equal(response.status, 200, JSON.stringify(result));
        assert.equal(result.success, true, JSON.stringify(result.errors));
        assert.deepEqual(result.outputs.probe, { message: "hello container" });
        assert.equal(result.outputs.greet.scratchBytes, "hello container".length);
        assert.equal(result.nodes.greet.status, "ok");
      },
    );

    await t.step(
      "a node reading /etc/passwd fails with a permission error; the engine stays up",
      async () => {
        const exists = await engine.exec(["deno", "eval", `Deno.statSync("/etc/passwd")`]);
        assert.equal(
          exists.exitCode,
          0,
          "the file exists in the image, so a denial is the sandbox's",
        );
        const response = await fetch(`${engine.url}/run`, {
          method: "POST",
          body: JSON.stringify({ attack: true }),
        });
        const result = await response.json();
        assert.equal(result.success, false);
        assert.equal(result.nodes.greet.status, "ok");
        assert.equal(result.nodes.probe.status, "failed");
        assert.match(
          result.nodes.probe.error,
          /^NotCapable: Requires read access to "\/etc\/passwd"/,
        );
        assert.equal(result.errors.probe, result.nodes.probe.error);
        assert.equal((await fetch(`${engine.url}/health`)).status, 200);
      },
    );

    await t.step("SIGTERM stops the engine cleanly with exit code 0", async () => {
      await docker(["kill", "--signal", "TERM", engine.id]);
      const code = await docker(["wait", engine.id]);
      assert.equal(code, "0", await engine.logs());
      assert.match(await engine.logs(), /"msg":"stopped"/);
    });
  },
);
