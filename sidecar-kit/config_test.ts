import assert from "node:assert/strict";
import { loadConfig, SidecarConfigError } from "./config.ts";

Deno.test("loadConfig() uses the documented defaults", () => {
  const c = loadConfig({}, { port: 9001 });
  assert.deepEqual(c, {
    port: 9001,
    host: "0.0.0.0",
    sharedDir: "/shared",
    maxConcurrency: 2,
    maxQueue: 16,
    jobTimeoutMs: 300000,
    bodyLimit: 10 * 1024 * 1024,
    shutdownGraceMs: 25000,
    jobRetentionMs: 600000,
    maxRetainedJobs: 1000,
    logLevel: "info",
    tmpDir: "/tmp",
  });
});

Deno.test("loadConfig() parses sizes with units", () => {
  assert.equal(loadConfig({ BODY_LIMIT: "512k" }).bodyLimit, 512 * 1024);
  assert.equal(loadConfig({ BODY_LIMIT: "1GB" }).bodyLimit, 1024 ** 3);
  assert.equal(loadConfig({ BODY_LIMIT: "100" }).bodyLimit, 100);
});

Deno.test("loadConfig() reports every bad variable at once, sorted", () => {
  assert.throws(
    () => loadConfig({ SHARED_DIR: "shared", PORT: "70000", MAX_QUEUE: "-1", LOG_LEVEL: "loud" }),
    (e: unknown) => {
      assert.ok(e instanceof SidecarConfigError);
      assert.deepEqual(e.issues, [
        `LOG_LEVEL="loud" must be one of debug, info, warn, error`,
        `MAX_QUEUE="-1" must be an integer >= 0`,
        `PORT="70000" must be an integer in 0-65535`,
        `SHARED_DIR="shared" must be an absolute path`,
      ]);
      return true;
    },
  );
});

Deno.test("loadConfig() takes PORT 0 (any) or 1024-65535, but not the engine's 8080", () => {
  assert.equal(loadConfig({ PORT: "0" }).port, 0);
  assert.equal(loadConfig({ PORT: "9100" }).port, 9100);
  for (
    const [port, issue] of [
      ["8080", `PORT="8080" is reserved for the engine`],
      ["80", `PORT="80" is out of range (1024-65535, or 0 for any)`],
    ]
  ) {
    assert.throws(() => loadConfig({ PORT: port }), (e: unknown) => {
      assert.ok(e instanceof SidecarConfigError);
      assert.deepEqual(e.issues, [issue]);
      return true;
    });
  }
});
