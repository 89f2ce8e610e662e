import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { tntc } from "./_test_io.ts";

const SEED = new URL("../spec/testdata/seed-complete", import.meta.url).pathname;

Deno.test("tntc validate exits 0 for the seed's complete example", async () => {
  const r = await tntc("validate", SEED);
  assertEquals(r.code, 0);
  assertEquals(
    r.out,
    'workflow.yaml: ok — workflow "video-frame-extractor", 3 node(s), 1 sidecar(s)',
  );
});

Deno.test("tntc validate prints file:line:col lines and exits 1 for an invalid workflow", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/workflow.yaml`,
    'name: x\nversion: "1"\nsidecars:\n  - name: ffmpeg\n    image: i\n    port: 8080\nnodes:\n  a:\n    path: ./a.ts\n',
  );
  const r = await tntc("validate", dir);
  assertEquals(r.code, 1);
  assertEquals(r.err.split("\n"), [
    'workflow.yaml:6:11: sidecar "ffmpeg": port 8080 is reserved for the engine',
    'workflow.yaml:9:11: node "a": file "./a.ts" does not exist',
    "2 problems",
  ]);
  const j = await tntc("validate", dir, "--json");
  assertEquals(j.code, 1);
  assertEquals(JSON.parse(j.out).errors[0], {
    message: 'sidecar "ffmpeg": port 8080 is reserved for the engine',
    line: 6,
    column: 11,
    path: "sidecars[0].port",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tntc validate reports a missing workflow.yaml without a stack trace", async () => {
  const dir = await Deno.makeTempDir();
  const r = await tntc("validate", dir);
  assertEquals(r.code, 1);
  assertEquals(r.err, `tntc validate: no workflow.yaml in ${await Deno.realPath(dir)}`);
  await Deno.remove(dir);
});

Deno.test("commands taking a workflow dir accept its workflow.yaml, and name themselves for a wrong path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const chain3 = new URL("../server/testdata/chain3", import.meta.url).pathname;
    const viaFile = await tntc("validate", `${chain3}/workflow.yaml`);
    assertEquals([viaFile.code, viaFile.out], [
      0,
      'workflow.yaml: ok — workflow "chain3", 3 node(s), 0 sidecar(s)',
    ]);
    await Deno.writeTextFile(`${dir}/notes.txt`, "hi");
    for (const command of ["validate", "flags", "visualize", "run", "manifest"]) {
      const r = await tntc(command, `${dir}/notes.txt`);
      assertEquals([r.code, r.err], [
        1,
        `tntc ${command}: ${dir}/notes.txt is a file, not a workflow directory: pass the directory that holds workflow.yaml`,
      ]);
      const missing = await tntc(command, `${dir}/nope`);
      assertEquals(missing.err, `tntc ${command}: workflow directory ${dir}/nope does not exist`);
    }
    // init and sidecar init into a path through a file: a message, no stack trace.
    for (const args of [["init", "x", "--dir"], ["sidecar", "init", "y", "--dir"]]) {
      const r = await tntc(...args, `${dir}/notes.txt/sub`);
      assertEquals(r.code, 1);
      assertEquals(r.err.split("\n").length, 1, r.err);
      assertEquals(
        r.err.startsWith(`tntc ${args[0]}: cannot create ${dir}/notes.txt/sub: Not a directory`),
        true,
        r.err,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tntc --version prints the engine and Deno versions", async () => {
  const r = await tntc("--version");
  assertEquals(r.code, 0);
  assertEquals(r.out, `tntc 0.1.0 (deno ${Deno.version.deno})`);
});

Deno.test("tntc flags prints the derived Deno flags, also as JSON", async () => {
  const r = await tntc("flags", SEED);
  assertEquals(r.out.split("\n"), [
    "--allow-net=api.openai.com:443,localhost:9000,0.0.0.0:8080",
    "--allow-read=/app,/var/run/secrets,/shared",
    "--allow-write=/tmp,/shared",
  ]);
  const j = JSON.parse((await tntc("flags", SEED, "--json")).out);
  assertEquals(j.net, ["api.openai.com:443", "localhost:9000", "0.0.0.0:8080"]);
});

Deno.test("tntc rejects unknown commands and flags with usage and exit 2", async () => {
  const r = await tntc("valdate");
  assertEquals(r.code, 2);
  ok(r.err.startsWith('tntc: unknown command "valdate"'));
  const f = await tntc("validate", "--jsno");
  assertEquals(f.code, 2);
  ok(f.err.startsWith("tntc validate: Unknown option '--jsno'"), f.err);
});

Deno.test("tntc visualize prints a Mermaid flowchart with nodes, sidecars and dependencies", async () => {
  const r = await tntc("visualize", SEED);
  assertEquals(r.code, 0);
  const lines = r.out.split("\n");
  assertEquals(lines[0], "flowchart LR");
  for (
    const expected of [
      "  n_fetch_video --> n_extract_frames",
      "  n_extract_frames --> n_analyze_frames",
      "  engine -.->|localhost:9000| s_ffmpeg",
      '  d_openai_api{{"openai-api<br/>api.openai.com:443"}}',
      "  t0 --> n_fetch_video",
    ]
  ) ok(lines.includes(expected), `missing line: ${expected}`);
});

Deno.test("tntc schema prints a JSON Schema that rejects unknown top-level keys", async () => {
  const r = await tntc("schema");
  const schema = JSON.parse(r.out);
  assertEquals(schema.additionalProperties, false);
  assertEquals(schema.required, ["name", "version", "nodes"]);
  assertEquals(schema.properties.sidecars.items.properties.protocol.enum, ["http", "grpc"]);
  assertEquals(schema.properties.sidecars.items.properties.port.minimum, 1024);
});

Deno.test("tntc init creates a workflow that passes tntc validate as generated", async () => {
  const parent = await Deno.makeTempDir();
  const dir = `${parent}/hello-flow`;
  const r = await tntc("init", "hello-flow", "--dir", dir);
  assertEquals(r.code, 0);
  const v = await tntc("validate", dir);
  assertEquals(v.code, 0, v.err);
  assertEquals(v.out, 'workflow.yaml: ok — workflow "hello-flow", 2 node(s), 0 sidecar(s)');
  assertEquals((await tntc("init", "hello-flow", "--dir", dir)).code, 1);
  // The generated node code type-checks: `import type { Context } from "tentacular"` resolves.
  const check = await new Deno.Command(Deno.execPath(), {
    args: ["check", "nodes/greet.ts", "nodes/shout.ts"],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(check.code, 0, new TextDecoder().decode(check.stderr));
  assertEquals((await tntc("init", "Bad_Name", "--dir", `${parent}/x`)).code, 2);
  await Deno.remove(parent, { recursive: true });
});

Deno.test("tntc validate runs as a real process and exits 1 on problems", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/workflow.yaml`, "name: x\n");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      new URL("./main.ts", import.meta.url).pathname,
      "validate",
      dir,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 1);
  assertEquals(new TextDecoder().decode(out.stderr).trim().split("\n"), [
    'workflow.yaml:1:1: the workflow: missing required field "nodes"',
    'workflow.yaml:1:1: the workflow: missing required field "version"',
    "2 problems",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("tntc validate loads every node module as the engine would: syntax errors and missing default exports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tntc-validate-" });
  try {
    assertEquals((await tntc("init", "wf", "--dir", `${dir}/wf`)).code, 0);
    await Deno.writeTextFile(`${dir}/wf/nodes/shout.ts`, "export default function run( { oops\n");
    await Deno.writeTextFile(`${dir}/wf/nodes/greet.ts`, "export const run = () => 1;\n");
    const r = await tntc("validate", `${dir}/wf`);
    assertEquals(r.code, 1);
    const lines = r.err.split("\n");
    assertEquals(lines[0]?.startsWith('tntc validate: node "greet": '), true, r.err);
    assertEquals(lines[0]?.endsWith("(its default export is undefined)"), true, r.err);
    assertEquals(
      lines[1]?.startsWith(`tntc validate: node "shout": cannot load file://`) &&
        lines[1].includes("shout.ts: SyntaxError: "),
      true,
      r.err,
    );
    assertEquals(r.err.includes("2 problems"), true, r.err);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
