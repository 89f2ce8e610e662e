import assert from "node:assert/strict";
import { validateWorkflow } from "../spec/validate.ts";
import { SANDBOX_CODE_DIR } from "../run/mod.ts";
import { engineCommand, localEngineInstall } from "./engine_command.ts";
import { localLayout } from "./local_engine.ts";

const seed = validateWorkflow(`
name: video-frame-extractor
version: "1.0"
sidecars:
  - name: ffmpeg
    image: ghcr.io/randybias/tentacular-ffmpeg-sidecar:v1.0.0
    port: 9000
contract:
  version: "1"
  dependencies:
    openai-api:
      protocol: https
      host: api.openai.com
      port: 443
nodes:
  fetch-video:
    path: ./nodes/fetch-video.ts
`);

Deno.test("engineCommand gives the pod the seed's derived flags plus only the engine's extras", () => {
  assert.deepEqual(engineCommand(seed), [
    "deno",
    "run",
    "--no-prompt",
    "--unstable-worker-options",
    "--v8-flags=--max-semi-space-size=1",
    "--no-code-cache",
    "--config=/opt/tntc/deno.json",
    "--cached-only",
    "--allow-env=LOG_TOKENS,LOG_STREAM,TNTC_DEV",
    "--allow-net=api.openai.com:443,localhost:9000,0.0.0.0:8080",
    "--allow-read=/app,/var/run/secrets,/shared",
    "--allow-write=/tmp,/shared",
    "--allow-read=/opt/tntc/engine/run",
    "/opt/tntc/engine/main.ts",
    "--workflow",
    "/app",
    "--listen",
    "0.0.0.0:8080",
    "--secrets",
    "/var/run/secrets",
    "--shared",
    "/shared",
    "--tmp",
    "/tmp",
  ]);
});

Deno.test("engineCommand never grants all permissions or unscoped flags", () => {
  const argv = engineCommand(seed, localLayout("/w", { listen: "127.0.0.1:0" }), {
    install: localEngineInstall(),
    engineArgs: ["--once"],
  });
  for (const flag of argv) {
    assert.ok(!/^(-A|--allow-all|--allow-(net|read|write|env|run|sys|ffi))$/.test(flag), flag);
    assert.ok(!flag.startsWith("--allow-run") && !flag.startsWith("--allow-sys"), flag);
  }
  assert.ok(argv.includes("--allow-net=api.openai.com:443,localhost:9000,127.0.0.1:0"));
  assert.ok(argv.includes("--allow-read=/w,/w/.secrets,/w/.tntc/shared"));
  assert.ok(argv.includes("--allow-write=/w/.tntc/tmp,/w/.tntc/shared"));
  assert.ok(argv.includes(`--allow-read=${SANDBOX_CODE_DIR}`));
  assert.equal(argv[0], Deno.execPath());
  assert.equal(argv.at(-1), "--once");
});
