import assert from "node:assert/strict";
import { type Deadline, Deadlines } from "./_deadlines.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entry(name: string, inMs: number, fired: string[]): Deadline {
  return { deadline: Date.now() + inMs, expire: () => fired.push(name) };
}

Deno.test("Deadlines expires each entry once its deadline passes, earliest first", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  deadlines.add(entry("late", 60, fired));
  deadlines.add(entry("early", 20, fired));
  deadlines.add(entry("middle", 40, fired));
  await wait(35);
  assert.deepEqual(fired, ["early"]);
  await wait(60);
  assert.deepEqual(fired, ["early", "middle", "late"]);
  deadlines.close();
});

Deno.test("Deadlines never expires a deleted entry, and close() drops the rest", async () => {
  const deadlines = new Deadlines();
  const fired: string[] = [];
  const gone = entry("deleted", 10, fired);
  deadlines.add(gone);
  deadlines.add(entry("kept", 30, fired));
  deadlines.delete(gone);
  await wait(50);
  assert.deepEqual(fired, ["kept"]);
  deadlines.add(entry("closed", 10, fired));
  deadlines.close();
  await wait(30);
  assert.deepEqual(fired, ["kept"]);
});

Deno.test("Deadlines with idleUnref keeps a process alive only while it watches something", async () => {
  const module = new URL("./_deadlines.ts", import.meta.url).href;
  const script = (keep: boolean) =>
    `import { Deadlines } from "${module}";
const deadlines = new Deadlines(true);
const entry = { deadline: Date.now() + 700, expire: () => console.log("expired") };
deadlines.add(entry);
${keep ? "" : "deadlines.delete(entry);"}`;
  const took: number[] = [];
  for (const keep of [false, true]) {
    const started = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script(keep)],
      stdout: "piped",
    }).output();
    took.push(performance.now() - started);
    assert.equal(new TextDecoder().decode(out.stdout).trim(), keep ? "expired" : "");
  }
  const [idle, watching] = took as [number, number];
  assert.ok(watching >= 700, `the watching process exited after ${watching} ms`);
  assert.ok(idle < watching - 400, `the idle one took ${idle} ms, the watching one ${watching}`);
});
