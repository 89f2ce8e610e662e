import assert from "node:assert/strict";
import { inlineRunner, recordingFetch, type TempWorkflow, tempWorkflow } from "./_test_util.ts";
import type { Secrets } from "./context.ts";

const YAML = `name: ctx-fetch
version: "1"
contract:
  version: "1"
  dependencies:
    api:
      protocol: https
      host: api.example.com
      auth: { type: bearer-token, secret: openai.token }
    keyed:
      protocol: https
      host: keyed.example.com
      port: 8443
      auth: { type: api-key, secret: keyed.key, header: X-Key }
    plainkey:
      protocol: https
      host: plain.example.com
      auth: { type: api-key, secret: keyed.key }
    basic:
      protocol: http
      host: basic.example.com
      auth: { type: basic, secret: basic.userpass }
    open:
      protocol: http
      host: open.example.com
      port: 8080
    nosecret:
      protocol: https
      host: nosecret.example.com
      auth: { type: bearer-token, secret: missing.token }
    db:
      protocol: postgresql
      host: db.example.com
nodes:
  probe:
    path: ./probe.ts
    timeout: 200ms
  limited:
    path: ./probe.ts
    dependencies: [open]
`;

// Calls ctx.fetch with the input's arguments and reports what came back; only the node the
// input names (default "probe") does anything.
const PROBE = `export default async function run(ctx, input) {
  if (ctx.node !== (input.node ?? "probe")) return "not asked";
  const res = await ctx.fetch(input.dep, input.path, input.init);
  return { status: res.status, body: await res.text() };
}
`;

const SECRETS: Secrets = {
  openai: { token: "sk-1" },
  keyed: { key: "k-2" },
  basic: { userpass: "user:pw" },
};

function workflow(): Promise<TempWorkflow> {
  return tempWorkflow(YAML, { "probe.ts": PROBE });
}

/** Runs the workflow with `node` (default "probe") making the call `input` describes. */
async function probe(fake: typeof fetch, input: Record<string, unknown>, node = "probe") {
  await using wf = await workflow();
  await using runner = await inlineRunner(wf, { fetch: fake, secrets: SECRETS });
  const result = await runner.run({ ...input, node });
  return { output: result.outputs[node], error: result.errors[node] };
}

function header(request: Request | undefined, name: string): string | null {
  assert.ok(request, "the request was sent");
  return request.headers.get(name);
}

Deno.test("ctx.fetch sends the bearer token to the dependency's own origin with the caller's request", async () => {
  const fake = recordingFetch(() => new Response("fine"));
  const { output } = await probe(fake, {
    dep: "api",
    path: "/v1/models?limit=2",
    init: { method: "POST", body: "hi", headers: { "x-trace": "t1" } },
  });
  assert.deepEqual(output, { status: 200, body: "fine" });
  const [sent] = fake.requests;
  assert.equal(sent?.url, "https://api.example.com/v1/models?limit=2");
  assert.equal(sent?.method, "POST");
  assert.equal(await sent?.text(), "hi");
  assert.equal(header(sent, "authorization"), "Bearer sk-1");
  assert.equal(header(sent, "x-trace"), "t1");
});

Deno.test("ctx.fetch sends api-key auth in the declared header (default X-API-Key) and basic auth base64-encoded", async () => {
  const fake = recordingFetch(() => new Response("ok"));
  await probe(fake, { dep: "keyed", path: "/a" });
  await probe(fake, { dep: "plainkey", path: "/b" });
  await probe(fake, { dep: "basic", path: "/c" });
  const [keyed, plain, basic] = fake.requests;
  assert.equal(keyed?.url, "https://keyed.example.com:8443/a");
  assert.equal(header(keyed, "x-key"), "k-2");
  assert.equal(header(keyed, "authorization"), null);
  assert.equal(header(plain, "x-api-key"), "k-2");
  assert.equal(basic?.url, "http://basic.example.com/c");
  assert.equal(header(basic, "authorization"), `Basic ${btoa("user:pw")}`);
});

Deno.test("ctx.fetch adds no credential to a dependency that declares no auth", async () => {
  const fake = recordingFetch(() => new Response("ok"));
  await probe(fake, { dep: "open", path: "/x", init: { headers: { accept: "text/plain" } } });
  assert.equal(fake.requests[0]?.url, "http://open.example.com:8080/x");
  assert.deepEqual([...fake.requests[0]!.headers.keys()], ["accept"]);
});

Deno.test("ctx.fetch never sends the credential on a redirect to another host, port or scheme", async () => {
  const hops: Record<string, string> = {
    "https://api.example.com/start": "/same-origin",
    "https://api.example.com/same-origin": "https://api.example.com:8443/other-port",
    "https://api.example.com:8443/other-port": "http://api.example.com/downgraded",
    "http://api.example.com/downgraded": "https://cdn.example.net/file",
  };
  const fake = recordingFetch((req) => {
    const next = hops[req.url];
    return next === undefined
      ? new Response("the file")
      : new Response(null, { status: 302, headers: { location: next } });
  });
  const { output } = await probe(fake, {
    dep: "api",
    path: "/start",
    init: { headers: { authorization: "Bearer caller-set" } },
  });
  assert.deepEqual(output, { status: 200, body: "the file" });
  assert.deepEqual(
    fake.requests.map((r) => [r.url, r.headers.get("authorization")]),
    [
      ["https://api.example.com/start", "Bearer sk-1"],
      ["https://api.example.com/same-origin", "Bearer sk-1"],
      ["https://api.example.com:8443/other-port", null],
      ["http://api.example.com/downgraded", null],
      ["https://cdn.example.net/file", null],
    ],
  );
});

Deno.test("ctx.fetch follows a 303 after a POST as a GET without the body", async () => {
  const fake = recordingFetch((_req, n) =>
    n === 0
      ? new Response(null, { status: 303, headers: { location: "/result/7" } })
      : new Response("created")
  );
  const { output } = await probe(fake, {
    dep: "api",
    path: "/jobs",
    init: { method: "POST", body: "{}" },
  });
  assert.deepEqual(output, { status: 200, body: "created" });
  assert.equal(fake.requests[1]?.method, "GET");
  assert.equal(fake.requests[1]?.body, null);
  assert.equal(fake.requests[1]?.url, "https://api.example.com/result/7");
});

Deno.test("ctx.fetch gives up after 20 redirects with a clear error", async () => {
  const fake = recordingFetch(() =>
    new Response(null, { status: 307, headers: { location: "/again" } })
  );
  const { error } = await probe(fake, { dep: "api", path: "/loop" });
  assert.equal(error, 'TypeError: ctx.fetch("api", "/loop"): more than 20 redirects');
  assert.equal(fake.requests.length, 21);
});

Deno.test("ctx.fetch rejects an undeclared dependency and names the contract's dependencies", async () => {
  const fake = recordingFetch(() => new Response("never"));
  const { error } = await probe(fake, { dep: "stripe", path: "/" });
  assert.equal(
    error,
    'ReferenceError: dependency "stripe" is not declared in the workflow contract ' +
      "(contract.dependencies: api, keyed, plainkey, basic, open, nosecret, db)",
  );
  assert.equal(fake.requests.length, 0);
});

Deno.test("ctx.fetch keeps a node to the dependencies it lists", async () => {
  const fake = recordingFetch(() => new Response("ok"));
  const { error } = await probe(fake, { dep: "api", path: "/" }, "limited");
  assert.equal(
    error,
    'ReferenceError: node "limited" may not use dependency "api": its dependencies list is [open]',
  );
  assert.equal(fake.requests.length, 0);
});

Deno.test("ctx.fetch takes a path, not a URL, so a node cannot steer the credential elsewhere", async () => {
  const fake = recordingFetch(() => new Response("never"));
  for (const path of ["https://evil.example/x", "//evil.example/x", "v1/models"]) {
    const { error } = await probe(fake, { dep: "api", path });
    assert.equal(
      error,
      `TypeError: ctx.fetch("api", ${JSON.stringify(path)}): the path must start with "/" ` +
        `(a path on https://api.example.com, not a URL)`,
    );
  }
  assert.equal(fake.requests.length, 0);
});

Deno.test("ctx.fetch explains that a non-HTTP dependency needs ctx.dependency()", async () => {
  const { error } = await probe(recordingFetch(() => new Response()), { dep: "db", path: "/" });
  assert.equal(
    error,
    'TypeError: ctx.fetch("db", ...): dependency "db" uses postgresql; ctx.fetch supports ' +
      "http and https dependencies (use ctx.dependency() for the rest)",
  );
});

Deno.test("ctx.fetch names the secret an auth declaration needs when it was not loaded", async () => {
  const fake = recordingFetch(() => new Response("never"));
  const { error } = await probe(fake, { dep: "nosecret", path: "/" });
  assert.equal(
    error,
    'ReferenceError: dependency "nosecret" needs secret "missing.token" for bearer-token auth, ' +
      'but no secret "missing" was loaded',
  );
  assert.equal(fake.requests.length, 0);
});

Deno.test("ctx.fetch passes the node's signal, which aborts the request when the node times out", async () => {
  const fake = recordingFetch((req) =>
    new Promise((_resolve, reject) => {
      req.signal.addEventListener("abort", () => reject(req.signal.reason));
    })
  );
  const { error } = await probe(fake, { dep: "api", path: "/slow" });
  assert.equal(error, "timed out after 200ms");
  assert.equal(fake.requests[0]?.signal.aborted, true);
  assert.equal(fake.requests[0]?.signal.reason.name, "TimeoutError");
});
