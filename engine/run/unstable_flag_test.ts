// Sandboxes need Deno's `--unstable-worker-options` (Worker `deno.permissions`). The engine gets
// it from `engineCommand()` (explicit flag) and from the root deno.json ("unstable"). These
// tests pin what happens either way, with real `deno run` processes.
import assert from "node:assert/strict";
import { derivePermissions, type EngineLayout, toDenoFlags } from "../flags/derive.ts";
import { loadWorkflow } from "../spec/load.ts";
import { SANDBOX_CODE_DIR } from "./runner.ts";

const APP = new URL("./testdata/diamond", import.meta.url).pathname;
const DRIVER = new URL("./testdata/engine_driver.ts", import.meta.url).pathname;
const ROOT_CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function engine(config: string, extraFlags: string[]) {
  const layout: EngineLayout = {
    appDir: APP,
    secretsDir: `${APP}/secrets`,
    sharedDir: `${APP}/shared`,
    tmpDir: APP,
    listen: "127.0.0.1:0",
  };
  const perms = derivePermissions((await loadWorkflow(APP)).workflow, layout);
  perms.read.push(SANDBOX_CODE_DIR);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--config=${config}`,
      ...extraFlags,
      "--allow-env=LOG_TOKENS,LOG_STREAM,TNTC_DEV",
      ...toDenoFlags(perms),
      DRIVER,
      APP,
      JSON.stringify(layout),
      JSON.stringify({ n: 1 }),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("the root deno.json enables worker options, so the engine runs without the explicit flag", async () => {
  const { code, stdout, stderr } = await engine(ROOT_CONFIG, []);
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).outputs.b?.doubled, 4);
});

Deno.test("without --unstable-worker-options Deno stops the engine (exit 70) naming the flag before any node runs", async () => {
  const config = JSON.parse(await Deno.readTextFile(ROOT_CONFIG));
  delete config.unstable;
  delete config.workspace;
  delete config.imports.tentacular;
  const dir = await Deno.makeTempDir({ prefix: "unstable_flag_test_" });
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config));
    const { code, stdout, stderr } = await engine(`${dir}/deno.json`, []);
    assert.equal(code, 70, stderr);
    assert.match(
      stderr,
      /Unstable API 'Worker\.deno\.permissions'\. The `--unstable-worker-options` flag must be provided\./,
    );
    assert.equal(stdout, "", "no run happened, sandboxed or not");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
