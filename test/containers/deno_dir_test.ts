import assert from "node:assert/strict";
import { buildImage } from "./build_image.ts";
import { ensureBaseImage } from "./base_image.ts";
import { cacheDenoDir } from "./deno_dir.ts";
import { containerTest } from "./docker_gate.ts";
import { freePort } from "./free_port.ts";
import { startPodContainer } from "./pod_container.ts";
import { docker } from "./_docker_cli.ts";

const APP = `import { Hono } from "hono";
const app = new Hono();
app.get("/health", (c) => c.json({ status: "ok", via: "hono" }));
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.env.get("PORT")) }, app.fetch);
`;

const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE}
COPY deno-dir/ /deno-dir/
COPY app/ /app/
WORKDIR /app
CMD ["run", "--cached-only", "--allow-net=127.0.0.1", "--allow-env=PORT", "main.ts"]
`;

await containerTest(
  "Deno code with npm dependencies runs in a pod image from a DENO_DIR cached on the host",
  async () => {
    const context = await Deno.makeTempDir({ prefix: "tntc-deno-dir-" });
    try {
      await Deno.mkdir(`${context}/app`);
      await Deno.writeTextFile(`${context}/app/main.ts`, APP);
      await Deno.writeTextFile(
        `${context}/app/deno.json`,
        JSON.stringify({ imports: { hono: "npm:hono@^4.13.19" } }),
      );
      await Deno.writeTextFile(`${context}/Dockerfile`, DOCKERFILE);
      await cacheDenoDir({
        entrypoints: ["main.ts"],
        denoDir: `${context}/deno-dir`,
        cwd: `${context}/app`,
      });
      const image = await buildImage(context, "tntc-test/deno-dir:latest", {
        BASE_IMAGE: await ensureBaseImage(),
      });
      try {
        const port = freePort();
        await using pod = await startPodContainer({ image, port, env: { PORT: String(port) } });
        const response = await fetch(`${pod.url}/health`);
        assert.deepEqual(await response.json(), { status: "ok", via: "hono" });
      } finally {
        // Each run caches into a new directory, so each image is new: drop it.
        await docker(["image", "rm", image]);
      }
    } finally {
      await Deno.remove(context, { recursive: true });
    }
  },
);

Deno.test("cacheDenoDir() fails with deno's own message when an import cannot be resolved", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tntc-deno-dir-" });
  try {
    await Deno.writeTextFile(`${dir}/main.ts`, `import "./missing.ts";\n`);
    const error = await cacheDenoDir({
      entrypoints: ["main.ts"],
      denoDir: `${dir}/cache`,
      cwd: dir,
    })
      .then(() => undefined, (error: Error) => error);
    assert.ok(error instanceof Error);
    assert.match(error.message, /^deno cache main\.ts \(in .*\) failed with exit code 1:/);
    assert.match(error.message, /missing\.ts/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
