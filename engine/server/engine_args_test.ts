import assert from "node:assert/strict";
import { POD_LAYOUT } from "../flags/derive.ts";
import { EngineArgsError, parseEngineArgs } from "./engine_args.ts";

Deno.test("parseEngineArgs defaults to the pod layout and documented limits", () => {
  const config = parseEngineArgs([]);
  assert.deepEqual(config.layout, POD_LAYOUT);
  assert.equal(config.maxConcurrentRuns, 32);
  assert.equal(config.retainRuns, 1000);
  assert.equal(config.maxBodyBytes, 1048576);
  assert.equal(config.graceMs, 20_000);
  assert.equal(config.sidecarWaitMs, 60_000);
  assert.equal(config.logLevel, "info");
  assert.equal(config.once, false);
});

Deno.test("parseEngineArgs reads every flag", () => {
  const config = parseEngineArgs([
    "--workflow",
    "/w",
    "--listen",
    "127.0.0.1:0",
    "--secrets",
    "/s",
    "--shared",
    "/sh",
    "--tmp",
    "/t",
    "--local-secrets",
    "/w/.secrets.yaml",
    "--max-concurrent-runs",
    "4",
    "--retain-runs",
    "9",
    "--max-body-bytes",
    "100",
    "--grace",
    "1m30s",
    "--sidecar-wait",
    "0s",
    "--log-level",
    "debug",
    "--once",
  ]);
  assert.deepEqual(config, {
    layout: {
      appDir: "/w",
      secretsDir: "/s",
      sharedDir: "/sh",
      tmpDir: "/t",
      listen: "127.0.0.1:0",
    },
    localSecretsFile: "/w/.secrets.yaml",
    maxConcurrentRuns: 4,
    retainRuns: 9,
    maxBodyBytes: 100,
    graceMs: 90_000,
    sidecarWaitMs: 0,
    logLevel: "debug",
    once: true,
  });
});

Deno.test("parseEngineArgs reports every bad value at once", () => {
  assert.throws(
    () =>
      parseEngineArgs([
        "--listen",
        "8080",
        "--max-concurrent-runs",
        "0",
        "--grace",
        "soon",
        "--log-level",
        "loud",
      ]),
    (err) => {
      assert.ok(err instanceof EngineArgsError);
      assert.deepEqual(err.problems, [
        '--grace: invalid duration "soon": expected a duration like "500ms", "30s", "5m", "1h" or "1m30s"',
        '--listen: expected host:port such as 0.0.0.0:8080, got "8080"',
        '--log-level: expected one of debug, info, warn, error, got "loud"',
        '--max-concurrent-runs: expected a positive integer, got "0"',
      ]);
      return true;
    },
  );
});

Deno.test("parseEngineArgs names an unknown flag", () => {
  assert.throws(() => parseEngineArgs(["--port", "1"]), {
    name: "EngineArgsError",
    message: "Unknown option '--port'",
  });
});
