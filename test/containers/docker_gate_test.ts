import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const GATED = fileURLToPath(new URL("./fixtures/gated_container_test_body.ts", import.meta.url));

/** Runs the gated fixture with a PATH that has no docker on it. */
async function runWithoutDocker(ci: boolean) {
  const emptyPath = await Deno.makeTempDir({ prefix: "tntc-no-docker-" });
  try {
    const env: Record<string, string> = { PATH: emptyPath, NO_COLOR: "1" };
    if (ci) env.CI = "true";
    for (const name of ["HOME", "DENO_DIR"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", GATED],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { code: out.code, text };
  } finally {
    await Deno.remove(emptyPath);
  }
}

Deno.test("without Docker and outside CI, container tests are ignored and the reason is printed", async () => {
  const { code, text } = await runWithoutDocker(false);
  assert.equal(code, 0, text);
  assert.match(text, /skipping container tests: the docker CLI is not installed/);
  assert.match(text, /ok \| 0 passed \| 0 failed \| 1 ignored/);
});

Deno.test("without Docker in CI, container tests fail and say why", async () => {
  const { code, text } = await runWithoutDocker(true);
  assert.notEqual(code, 0, text);
  assert.match(
    text,
    /container tests must run in CI \(CI=true\) but cannot: the docker CLI is not installed/,
  );
  assert.match(text, /FAILED \| 0 passed \| 1 failed/);
});
