import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ENGINE_ENTRYPOINTS } from "./engine_image.ts";
import { npmName, planAppContext } from "./_app_context.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOCKERFILE = await Deno.readTextFile(`${ROOT}/Dockerfile.engine`);

Deno.test("planAppContext() ships the engine's module graph and nothing else of the repository", async () => {
  const plan = await planAppContext(ROOT, ENGINE_ENTRYPOINTS, DOCKERFILE, "base:1");
  for (const entrypoint of ENGINE_ENTRYPOINTS) assert.ok(plan.files.includes(entrypoint));
  assert.ok(plan.files.includes("engine/deno.json"));
  const stray = plan.files.filter((file) =>
    !file.startsWith("engine/") || file.endsWith("_test.ts") || file.includes("/testdata/")
  );
  assert.deepEqual(stray, []);
  assert.ok(!plan.files.some((file) => file.startsWith("engine/k8s/")), "k8s code is not loaded");
});

Deno.test("planAppContext() cuts deno.json and deno.lock down to the npm packages the engine imports", async () => {
  const plan = await planAppContext(ROOT, ENGINE_ENTRYPOINTS, DOCKERFILE, "base:1");
  assert.ok(plan.npmPackages.includes("hono") && plan.npmPackages.includes("zod"));
  assert.ok(!plan.npmPackages.includes("testcontainers"));
  const config = JSON.parse(plan.config);
  assert.deepEqual(config.workspace, ["./engine"]);
  assert.equal(config.tasks, undefined);
  assert.equal(config.imports.tentacular, "./engine/run/context.ts");
  for (const target of Object.values(config.imports as Record<string, string>)) {
    if (target.startsWith("npm:")) assert.ok(plan.npmPackages.includes(npmName(target)), target);
  }
  const lock = JSON.parse(plan.lock);
  const locked = Object.keys(lock.specifiers).map(npmName);
  assert.ok(locked.length > 0);
  assert.deepEqual(locked.filter((name) => !plan.npmPackages.includes(name)), []);
});

Deno.test("planAppContext() gives a new hash for another base image or Dockerfile", async () => {
  const a = await planAppContext(ROOT, ENGINE_ENTRYPOINTS, DOCKERFILE, "base:1");
  const b = await planAppContext(ROOT, ENGINE_ENTRYPOINTS, DOCKERFILE, "base:2");
  const c = await planAppContext(ROOT, ENGINE_ENTRYPOINTS, `${DOCKERFILE}\n# changed\n`, "base:1");
  assert.match(a.hash, /^[0-9a-f]{64}$/);
  assert.equal(new Set([a.hash, b.hash, c.hash]).size, 3);
  assert.equal((await planAppContext(ROOT, ENGINE_ENTRYPOINTS, DOCKERFILE, "base:1")).hash, a.hash);
});

Deno.test("npmName() reads the package name from every npm specifier form", () => {
  assert.equal(npmName("npm:hono@^4.13.19"), "hono");
  assert.equal(npmName("npm:/hono@4.13.19/route"), "hono");
  assert.equal(npmName("npm:/hono@^4.13.19/"), "hono");
  assert.equal(npmName("npm:@scope/pkg@1.2.3/sub/path"), "@scope/pkg");
  assert.equal(npmName("npm:@scope/pkg"), "@scope/pkg");
  assert.equal(npmName("npm:zod"), "zod");
});

Deno.test("planAppContext() keeps exactly the workspace members a sidecar's module graph uses", async () => {
  const plan = await planAppContext(ROOT, ["examples/markdown-sidecar/main.ts"], "FROM x", "b:1");
  const config = JSON.parse(plan.config);
  assert.deepEqual([...config.workspace].sort(), ["./examples/markdown-sidecar", "./sidecar-kit"]);
  assert.ok(plan.files.includes("sidecar-kit/deno.json"));
  assert.ok(plan.files.includes("examples/markdown-sidecar/deno.json"));
  assert.deepEqual(plan.files.filter((file) => file.startsWith("engine/")), []);
  assert.equal(config.imports.tentacular, undefined, "the engine's type module is not shipped");
});
