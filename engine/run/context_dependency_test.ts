import assert from "node:assert/strict";
import { inlineRunner, tempWorkflow } from "./_test_util.ts";

const YAML = `name: ctx-dependency
version: "1"
contract:
  version: "1"
  dependencies:
    openai:
      protocol: https
      host: api.openai.com
      auth: { type: bearer-token, secret: openai.token }
    search:
      protocol: https
      host: search.example.com
      port: 8443
      auth: { type: api-key, secret: search.key, header: X-Search-Key }
    db:
      protocol: postgresql
      host: db.example.com
nodes:
  probe:
    path: ./probe.ts
  limited:
    path: ./probe.ts
    dependencies: [db]
`;

// Reports ctx.dependency(name) and whether changing the returned object changes ctx.
const PROBE = `export default function run(ctx, input) {
  if (ctx.node !== input.node) return "not asked";
  const info = ctx.dependency(input.name);
  info.host = "changed.example";
  return { info: { ...info, host: ctx.dependency(input.name).host } };
}
`;

/** What `ctx.dependency("db")` gives (postgresql's default port). */
const DB_INFO = {
  name: "db",
  protocol: "postgresql",
  host: "db.example.com",
  port: 5432,
  url: "postgresql://db.example.com",
};

async function dependency(name: string, node = "probe") {
  await using wf = await tempWorkflow(YAML, { "probe.ts": PROBE });
  await using runner = await inlineRunner(wf);
  const result = await runner.run({ name, node });
  return { output: result.outputs[node], error: result.errors[node] };
}

Deno.test("ctx.dependency gives the declared connection metadata with the protocol's default port", async () => {
  assert.deepEqual((await dependency("openai")).output, {
    info: {
      name: "openai",
      protocol: "https",
      host: "api.openai.com",
      port: 443,
      url: "https://api.openai.com",
      auth: { type: "bearer-token", secret: "openai.token" },
    },
  });
  assert.deepEqual((await dependency("db")).output, { info: DB_INFO });
});

Deno.test("ctx.dependency keeps a declared port in the URL and the api-key header in auth", async () => {
  const { output } = await dependency("search");
  assert.deepEqual(output, {
    info: {
      name: "search",
      protocol: "https",
      host: "search.example.com",
      port: 8443,
      url: "https://search.example.com:8443",
      auth: { type: "api-key", secret: "search.key", header: "X-Search-Key" },
    },
  });
});

Deno.test("ctx.dependency names the contract's dependencies when the name is not one of them", async () => {
  const { error } = await dependency("redis");
  assert.equal(
    error,
    'ReferenceError: dependency "redis" is not declared in the workflow contract ' +
      "(contract.dependencies: openai, search, db)",
  );
});

Deno.test("ctx.dependency refuses a declared dependency missing from the node's own list", async () => {
  assert.deepEqual((await dependency("db", "limited")).output, { info: DB_INFO });
  assert.equal(
    (await dependency("openai", "limited")).error,
    'ReferenceError: node "limited" may not use dependency "openai": its dependencies list is [db]',
  );
});

Deno.test("ctx.dependency says the contract is empty when a workflow declares none", async () => {
  await using wf = await tempWorkflow(
    'name: bare\nversion: "1"\nnodes:\n  probe:\n    path: ./probe.ts\n',
    { "probe.ts": PROBE },
  );
  await using runner = await inlineRunner(wf);
  const result = await runner.run({ name: "openai", node: "probe" });
  assert.equal(
    result.errors.probe,
    'ReferenceError: dependency "openai" is not declared in the workflow contract ' +
      "(contract.dependencies is empty)",
  );
});
