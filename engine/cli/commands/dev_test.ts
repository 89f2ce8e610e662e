import assert from "node:assert/strict";
import type { CommandIO } from "../command.ts";
import { devCommand } from "./dev.ts";

const testdata = new URL("../../server/testdata/", import.meta.url).pathname;
const cli = new URL("../main.ts", import.meta.url).pathname;

Deno.test("tntc dev serves the workflow on the given port and drains on Ctrl-C", async () => {
  const temp = await Deno.makeTempDir({ prefix: "tntc-dev-test-" });
  const dir = `${temp}/devmode`;
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  await Deno.copyFile(`${testdata}devmode/workflow.yaml`, `${dir}/workflow.yaml`);
  await Deno.copyFile(`${testdata}devmode/nodes/check.ts`, `${dir}/nodes/check.ts`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "dev", dir, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    let url = "";
    while (!url) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`tntc dev exited: ${buffered}`);
      buffered += value;
      url = /"msg":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(buffered)?.[1] ?? "";
    }
    const res = await fetch(`${url}/run`, { method: "POST", body: "{}" });
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).outputs.check, { dev: "1" });
    child.kill("SIGINT");
    const drain = (async () => {
      for (;;) if ((await reader.read()).done) break;
    })();
    const status = await child.status;
    await drain;
    assert.equal(status.code, 0);
    assert.equal((await Deno.stat(`${dir}/.tntc/shared`)).isDirectory, true);
    await assert.rejects(() => fetch(`${url}/health`));
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("tntc dev rejects a port out of range", async () => {
  const err: string[] = [];
  const io: CommandIO = { out: () => {}, err: (l) => err.push(l) };
  assert.equal(await devCommand.run([".", "--port", "70000"], io), 2);
  assert.equal(err[0], 'tntc dev: --port must be an integer from 0 to 65535, got "70000"');
});
