import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { loadWorkflow } from "../spec/load.ts";
import { validateWorkflow } from "../spec/validate.ts";
import { derivePermissions, toDenoFlags } from "./derive.ts";

const SEEDS = new URL("../spec/testdata/", import.meta.url).pathname;

Deno.test("derivePermissions() gives exactly the seed's engine flags for its complete example", async () => {
  const { workflow } = await loadWorkflow(`${SEEDS}seed-complete`);
  assertEquals(toDenoFlags(derivePermissions(workflow)), [
    "--allow-net=api.openai.com:443,localhost:9000,0.0.0.0:8080",
    "--allow-read=/app,/var/run/secrets,/shared",
    "--allow-write=/tmp,/shared",
  ]);
});

Deno.test("derivePermissions() grants no shared volume without sidecars", () => {
  const wf = validateWorkflow('name: a\nversion: "1"\nnodes:\n  n:\n    path: ./n.ts\n');
  assertEquals(toDenoFlags(derivePermissions(wf)), [
    "--allow-net=0.0.0.0:8080",
    "--allow-read=/app,/var/run/secrets",
    "--allow-write=/tmp",
  ]);
});

Deno.test("derivePermissions() uses each protocol's default port and lists sidecars in order", () => {
  const wf = validateWorkflow(
    'name: a\nversion: "1"\nsidecars:\n  - { name: b, image: x, port: 9001 }\n  - { name: a, image: x, port: 9000 }\n' +
      'contract:\n  version: "1"\n  dependencies:\n' +
      "    db: { protocol: postgresql, host: db.internal }\n    web: { protocol: http, host: example.com }\n" +
      "    grpc: { protocol: tcp, host: g.example.com, port: 7000 }\n" +
      "nodes:\n  n:\n    path: ./n.ts\n",
  );
  assertEquals(derivePermissions(wf).net, [
    "db.internal:5432",
    "example.com:80",
    "g.example.com:7000",
    "localhost:9001",
    "localhost:9000",
    "0.0.0.0:8080",
  ]);
});

Deno.test("derivePermissions() follows a local layout for development", () => {
  const wf = validateWorkflow(
    'name: a\nversion: "1"\nsidecars:\n  - { name: s, image: x, port: 9000 }\nnodes:\n  n:\n    path: ./n.ts\n',
  );
  const perms = derivePermissions(wf, {
    appDir: "/home/me/wf",
    secretsDir: "/home/me/wf/.secrets",
    sharedDir: "/tmp/sh",
    tmpDir: "/tmp/t",
    listen: "127.0.0.1:8081",
  });
  assertEquals(perms, {
    net: ["localhost:9000", "127.0.0.1:8081"],
    read: ["/home/me/wf", "/home/me/wf/.secrets", "/tmp/sh"],
    write: ["/tmp/t", "/tmp/sh"],
  });
});
