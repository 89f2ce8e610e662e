import assert from "node:assert/strict";
import { stageSidecarImage } from "./image.ts";
import { scaffoldSidecar } from "./scaffold.ts";

Deno.test("stageSidecarImage lays out app/, kit/ and a filled deno-dir/ with the kit mapped next to the app", async () => {
  const root = await Deno.makeTempDir({ prefix: "image-test-" });
  try {
    await scaffoldSidecar({ name: "words", dir: `${root}/words` });
    await Deno.writeTextFile(`${root}/words/.env`, "SECRET=1");
    const context = `${root}/context`;
    await Deno.mkdir(context);
    await stageSidecarImage(`${root}/words`, context);
    const app = [...Deno.readDirSync(`${context}/app`)].map((e) => e.name).sort();
    // Tests, dotfiles and the tasks stay out; deno cache wrote the lock the image checks.
    assert.deepEqual(app, ["Dockerfile", "README.md", "deno.json", "deno.lock", "main.ts"]);
    const config = JSON.parse(await Deno.readTextFile(`${context}/app/deno.json`));
    assert.equal(config.imports["@tntc/sidecar-kit"], "../kit/mod.ts");
    assert.equal(config.tasks, undefined);
    const kit = [...Deno.readDirSync(`${context}/kit`)].map((e) => e.name);
    assert.ok(kit.includes("mod.ts") && kit.includes("serve.ts"), kit.join(", "));
    assert.ok(!kit.some((n) => n.endsWith("_test.ts") || n === "bench" || n === "deno.json"));
    assert.ok((await Deno.stat(`${context}/deno-dir/npm`)).isDirectory, "npm packages cached");
    assert.match(await Deno.readTextFile(`${context}/Dockerfile`), /COPY kit\/ \/opt\/kit\//);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("stageSidecarImage names every missing file at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "image-test-" });
  try {
    await assert.rejects(
      stageSidecarImage(dir, `${dir}/ctx`),
      new RegExp(
        `cannot build the sidecar image: ${dir}/deno.json is missing; ${dir}/main.ts is missing; ` +
          `${dir}/Dockerfile is missing`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
