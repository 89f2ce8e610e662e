import assert from "node:assert/strict";
import type { CommandIO } from "../command.ts";
import { runCommand } from "./run.ts";

const testdata = new URL("../../server/testdata/", import.meta.url).pathname;

function collect(): CommandIO & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (l) => out_.push(l), err: (l) => err_.push(l) };
}

async function withCopy<T>(name: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const temp = await Deno.makeTempDir({ prefix: "tntc-run-test-" });
  const dir = `${temp}/${name}`;
  await copyDir(`${testdata}${name}`, dir);
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

Deno.test("tntc run prints the RunResult JSON and exits 0 when the run succeeds", async () => {
  await withCopy("chain3", async (dir) => {
    const io = collect();
    const code = await runCommand.run([dir, "--input", '{"n":4}'], io);
    assert.equal(code, 0, io.err_.join("\n"));
    const result = JSON.parse(io.out_.join("\n"));
    assert.equal(result.success, true);
    assert.deepEqual(result.outputs.double, { n: 10 });
  });
});

Deno.test("tntc run exits 1 and still prints the result when a node fails", async () => {
  await withCopy("failing", async (dir) => {
    const io = collect();
    const code = await runCommand.run([dir], io);
    assert.equal(code, 1);
    const result = JSON.parse(io.out_.join("\n"));
    assert.equal(result.success, false);
    assert.match(result.errors.boom, /boom: this node always fails/);
    assert.equal(result.nodes.after.status, "skipped");
  });
});

Deno.test("tntc run sets TNTC_DEV=1 for node code, as the seed guide describes", async () => {
  await withCopy("devmode", async (dir) => {
    const io = collect();
    assert.equal(await runCommand.run([dir], io), 0, io.err_.join("\n"));
    assert.deepEqual(JSON.parse(io.out_.join("\n")).outputs.check, { dev: "1" });
  });
});

Deno.test("tntc run rejects --input that is not JSON before starting anything", async () => {
  const io = collect();
  assert.equal(await runCommand.run([`${testdata}chain3`, "--input", "{n:1}"], io), 2);
  assert.match(io.err_[0] ?? "", /^tntc run: --input is not valid JSON: /);
  assert.deepEqual(io.out_, []);
  const deep = collect();
  const brackets = "[".repeat(1_000) + "]".repeat(1_000);
  assert.equal(await runCommand.run([`${testdata}chain3`, "--input", brackets], deep), 2);
  assert.deepEqual(deep.err_, [
    "tntc run: --input[0][0][0][0]…[0][0][0][0] nests deeper than 512 levels",
  ]);
});

Deno.test("tntc run reports an invalid workflow like tntc validate", async () => {
  const io = collect();
  assert.equal(await runCommand.run(["/nonexistent/wf"], io), 1);
  assert.match(io.err_.join("\n"), /workflow directory \/nonexistent\/wf does not exist/);
});

Deno.test("tntc run names an unknown flag", async () => {
  const io = collect();
  assert.equal(await runCommand.run(["--inptu", "{}"], io), 2);
  assert.match(io.err_[0] ?? "", /^tntc run: Unknown option '--inptu'/);
});
