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

Deno.test("tntc dev restarts the engine after a node gets stuck in a CPU-bound loop, and serves again", async () => {
  const temp = await Deno.makeTempDir({ prefix: "tntc-dev-restart-" });
  const dir = `${temp}/stuck`;
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  for (const file of ["workflow.yaml", "nodes/spin.ts", "nodes/wait.ts"]) {
    await Deno.copyFile(`${testdata}stuck/${file}`, `${dir}/${file}`);
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "dev", dir, "--port", String(port)],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const outDone = collect(child.stdout, (t) => out += t);
  const errDone = collect(child.stderr, (t) => err += t);
  const listening = () => out.match(/"msg":"listening"/g)?.length ?? 0;
  try {
    await until(() => listening() === 1, () => out + err);
    const spun = await fetch(`${url}/run`, { method: "POST", body: '{"spin":true}' });
    assert.equal(spun.status, 500);
    assert.equal((await spun.json()).nodes.spin.status, "timed_out");
    await until(() => listening() === 2, () => out + err);
    assert.match(
      err,
      /tntc dev: the engine exited with code 75 after a node got stuck in a CPU-bound loop .*; restarting it \(restart 1\)/,
    );
    assert.match(out, /"msg":"exiting for a restart","exitCode":75/);
    const res = await fetch(`${url}/run`, { method: "POST", body: '{"ms":1}' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).success, true);
    child.kill("SIGINT");
    assert.equal((await child.status).code, 0);
    await Promise.all([outDone, errDone]);
    assert.equal(listening(), 2, "Ctrl-C stops tntc dev; it does not restart the engine");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
    await Promise.all([outDone, errDone]);
    await Deno.remove(temp, { recursive: true });
  }
});

async function collect(stream: ReadableStream<Uint8Array>, add: (text: string) => void) {
  for await (const text of stream.pipeThrough(new TextDecoderStream())) add(text);
}

async function until(check: () => boolean, output: () => string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not reached; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
