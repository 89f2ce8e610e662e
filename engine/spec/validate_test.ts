import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { HEADER, problems, withNode } from "./_test_util.ts";
import { loadWorkflow } from "./load.ts";

const SEEDS = new URL("./testdata/", import.meta.url).pathname;

Deno.test("both seed workflow.yaml examples validate", async () => {
  for (const name of ["seed-complete", "seed-guide"]) {
    const { workflow } = await loadWorkflow(`${SEEDS}${name}`);
    assertEquals(workflow.name, "video-frame-extractor");
    assertEquals(Object.keys(workflow.nodes), ["fetch-video", "extract-frames", "analyze-frames"]);
    assertEquals(workflow.config.timeout, "300s");
  }
});

Deno.test("validate keeps unknown config keys for nodes to read", async () => {
  const { workflow } = await loadWorkflow(`${SEEDS}seed-complete`);
  assertEquals(workflow.config.fps, 1);
  assertEquals(workflow.config.retries, 1);
});

Deno.test("validate rejects a bad timeout and negative or fractional retries", async () => {
  assertEquals(await problems(withNode("config:\n  timeout: 5x\n  retries: -1\n")), [
    '7:12: config.timeout: expected a duration like "500ms", "30s", "5m", "1h" or "1m30s"',
    "8:12: config.retries: must be a non-negative integer",
  ]);
  assertEquals(await problems(withNode("config:\n  timeout: 0s\n  retries: 1.5\n")), [
    '7:12: config.timeout: expected a duration like "500ms", "30s", "5m", "1h" or "1m30s"',
    "8:12: config.retries: must be a whole number, got 1.5",
  ]);
});

Deno.test("validate rejects unknown keys with a did-you-mean, at every level", async () => {
  const yaml = withNode("sidecar:\n  - name: x\nconfig:\n  timeout: 5s\n") +
    'contract:\n  version: "1"\n  dependencies:\n    api:\n      protocol: https\n      hots: x.io\n';
  assertEquals(
    await problems(yaml),
    [
      '6:1: unknown field "sidecar" at the top level: did you mean "sidecars"?',
      '14:7: contract.dependencies.api: missing required field "host"',
      '15:7: unknown field "hots" in contract.dependencies.api: did you mean "host"?',
    ],
  );
});

Deno.test("validate lists the allowed keys when nothing is close", async () => {
  assertEquals(await problems(withNode("edges:\n  - from: a\n    to: a\n    weight: 3\n")), [
    '7:5: edges[0]: self-loop: node "a" cannot depend on itself',
    '9:5: unknown field "weight" in edges[0] (allowed: from, to)',
  ]);
});

Deno.test("validate reports missing required fields and wrong types with quoting advice", async () => {
  assertEquals(await problems("name: demo\nversion: 1.0\nnodes:\n  a:\n    path: ./nodes/a.ts\n"), [
    '2:10: version: expected a string, got number 1; quote it: version: "1.0"',
  ]);
  assertEquals(await problems('version: "1"\nnodes:\n  a:\n    path: ./nodes/a.ts\n'), [
    '1:1: the workflow: missing required field "name"',
  ]);
  // A bare number for a duration: quoting it alone would not do; say what would.
  const timeout = 'name: demo\nversion: "1"\nnodes:\n  a:\n    path: ./nodes/a.ts\n' +
    "config:\n  timeout: 30\n";
  assertEquals(await problems(timeout), [
    '7:12: config.timeout: expected a string, got number 30; write a duration: timeout: "30s" ' +
    '(a duration like "500ms", "30s", "5m", "1h" or "1m30s")',
  ]);
  assertEquals(await problems(timeout.replace("timeout: 30", "timeout: 1.5")), [
    "7:12: config.timeout: expected a string, got number 1.5; write " +
    'a duration like "500ms", "30s", "5m", "1h" or "1m30s"',
  ]);
});

Deno.test("validate rejects unknown trigger types and invalid cron schedules", async () => {
  const yaml = `${HEADER}triggers:\n  - type: cron\n    schedule: "61 * * * *"\n  - type: kafka\n` +
    "  - type: webhook\n    path: /run\nnodes:\n  a:\n    path: ./nodes/a.ts\n";
  assertEquals(await problems(yaml), [
    '5:15: triggers[0].schedule: invalid cron expression "61 * * * *": Invalid value for minute: 61',
    '6:11: triggers[1].type: unknown type "kafka" (allowed: manual, cron, webhook, queue)',
    '8:11: triggers[2].path: "/run" is reserved for the engine (reserved: /run, /runs, /health, /ready, /metrics)',
  ]);
});

Deno.test("validate holds a trigger's input to the run input rules (JSON data, 512 levels)", async () => {
  const deep = "[".repeat(600) + "]".repeat(600);
  const yaml =
    `${HEADER}triggers:\n  - type: cron\n    schedule: "0 * * * *"\n    input: ${deep}\n` +
    "nodes:\n  a:\n    path: ./nodes/a.ts\n";
  assertEquals(await problems(yaml), [
    "6:12: triggers[0].input[0][0][0][0]…[0][0][0][0] nests deeper than 512 levels",
  ]);
});

Deno.test("validate requires webhook and auth secrets as <secret>.<key> references", async () => {
  const yaml = `${HEADER}triggers:\n  - type: webhook\n    path: /hook\n    secret: hunter2\n` +
    "nodes:\n  a:\n    path: ./nodes/a.ts\n";
  assertEquals(await problems(yaml), [
    '6:13: triggers[0].secret: expected "<secret>.<key>", e.g. "openai.token"',
  ]);
});

Deno.test("validate requires a port for dependency protocols without a default", async () => {
  const yaml = withNode(
    'contract:\n  version: "1"\n  dependencies:\n    db:\n      protocol: tcp\n      host: db.local\n',
  );
  assertEquals(await problems(yaml), [
    '10:17: dependency "db": protocol "tcp" has no default port; set port',
  ]);
});

Deno.test("validate reports every problem at once, sorted by position", async () => {
  const yaml = `name: Bad\nversion: 1\nsidecars:\n  - name: x\n    image: i\n    port: 8080\n` +
    "nodes:\n  a:\n    path: ./nodes/none.ts\nconfig:\n  retries: -2\n";
  const found = await problems(yaml);
  assertEquals(found.length, 5);
  const positions = found.map((f) => f.split(":").slice(0, 2).map(Number));
  const sorted = [...positions].sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
  assertEquals(positions, sorted);
  ok(found.some((f) => f.endsWith('sidecar "x": port 8080 is reserved for the engine')));
});
