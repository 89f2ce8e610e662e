import assert from "node:assert/strict";
import { loadSecrets } from "./secrets.ts";

async function tempDir(files: Record<string, string>): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "secrets_test_" });
  for (const [path, text] of Object.entries(files)) {
    const file = `${dir}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

Deno.test("loadSecrets reads a directory per secret, one file per key, dropping one trailing newline", async () => {
  await using dir = await tempDir({
    "openai/token": "sk-123\n",
    "db/user": "app",
    "db/password": "two lines\nkept\n\n",
  });
  assert.deepEqual(await loadSecrets({ dir: String(dir) }), {
    db: { password: "two lines\nkept\n", user: "app" },
    openai: { token: "sk-123" },
  });
});

Deno.test("loadSecrets reads a Kubernetes secret mount and ignores its ..data links", async () => {
  await using dir = await tempDir({ "openai/..2030_01_01/token": "sk-k8s" });
  const mount = `${dir}/openai`;
  await Deno.symlink("..2030_01_01", `${mount}/..data`);
  await Deno.symlink("..data/token", `${mount}/token`);
  assert.deepEqual(await loadSecrets({ dir: String(dir) }), { openai: { token: "sk-k8s" } });
});

Deno.test("loadSecrets reads a file per secret holding a YAML or JSON mapping, named without its extension", async () => {
  await using dir = await tempDir({
    "slack.yaml": "webhook: https://hooks.example/1\nretries: 3\n",
    "github.json": '{ "token": "ghp_1", "enabled": true }',
    "plain": "key: value\n",
    ".hidden.yaml": "ignored: yes\n",
  });
  assert.deepEqual(await loadSecrets({ dir: String(dir) }), {
    github: { enabled: "true", token: "ghp_1" },
    plain: { key: "value" },
    slack: { retries: "3", webhook: "https://hooks.example/1" },
  });
});

Deno.test("loadSecrets lets a local file override and extend the directory's keys", async () => {
  await using dir = await tempDir({
    "secrets/openai/token": "from-dir",
    "secrets/openai/org": "org-1",
    ".secrets.yaml": "openai:\n  token: from-local\nextra:\n  key: local-only\n",
  });
  const secrets = await loadSecrets({
    dir: `${dir}/secrets`,
    localFile: `${dir}/.secrets.yaml`,
  });
  assert.deepEqual(secrets, {
    extra: { key: "local-only" },
    openai: { org: "org-1", token: "from-local" },
  });
});

Deno.test("loadSecrets treats a missing directory or local file as no secrets", async () => {
  await using dir = await tempDir({});
  assert.deepEqual(
    await loadSecrets({ dir: `${dir}/absent`, localFile: `${dir}/absent.yaml` }),
    {},
  );
  assert.deepEqual(await loadSecrets({}), {});
});

Deno.test("loadSecrets lists every malformed file in one error", async () => {
  await using dir = await tempDir({
    "secrets/list.yaml": "- a\n- b\n",
    "secrets/nested.yaml": "db:\n  host: x\n",
    "secrets/broken.json": '{ "token": ',
    "secrets/fine/token": "ok",
    "local.yaml": "openai: just-a-string\n",
  });
  await assert.rejects(
    loadSecrets({ dir: `${dir}/secrets`, localFile: `${dir}/local.yaml` }),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      const lines = error.message.split("\n");
      assert.equal(lines[0], "cannot load secrets:");
      assert.match(
        lines[1]!,
        new RegExp(`^  - ${dir}/secrets/broken\\.json: not valid YAML/JSON: `),
      );
      assert.deepEqual(lines.slice(2), [
        `  - ${dir}/secrets/list.yaml: expected a mapping of keys to values`,
        `  - ${dir}/secrets/nested.yaml: key "db" must be a string, number or boolean`,
        `  - ${dir}/local.yaml: secret "openai": expected a mapping of keys to values`,
      ]);
      return true;
    },
  );
});
