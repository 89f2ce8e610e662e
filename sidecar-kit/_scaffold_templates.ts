/**
 * File templates for `scaffoldSidecar`.
 * @module
 */

/** Template inputs. */
export interface TemplateVars {
  name: string;
  port: number;
  /** Kit specifier: a relative directory or a `jsr:`/`npm:` package. */
  kit: string;
}

/** Returns file name → content. */
export function templates(v: TemplateVars): Record<string, string> {
  const pkg = /^(jsr|npm):/.test(v.kit);
  const imports = {
    "@tntc/sidecar-kit": pkg ? v.kit : `${v.kit}/mod.ts`,
    "@tntc/sidecar-kit/testing": pkg ? `${v.kit}/testing` : `${v.kit}/testing.ts`,
    "zod": "npm:zod@^4.6.7",
    "hono": "npm:hono@^4.13.19",
    "hono/": "npm:/hono@^4.13.19/",
    "prom-client": "npm:prom-client@^15.1.3",
  };
  const perms = "--allow-net --allow-env --allow-read --allow-write --allow-run";
  const denoJson = {
    imports,
    tasks: {
      start: `deno run ${perms} main.ts`,
      test: "deno test -A",
      // Stages app/, kit/ and deno-dir/ (cached here), then docker build: no network needed.
      image: `deno run -A ${
        pkg ? `${v.kit}/image` : `${v.kit}/image.ts`
      } --tag ${v.name}-sidecar:dev`,
    },
    // request.signal then aborts only when a client leaves (see the kit's README).
    unstable: ["no-legacy-abort"],
  };
  return {
    "deno.json": JSON.stringify(denoJson, null, 2) + "\n",
    "main.ts": mainTs(v),
    "main_test.ts": testTs(v),
    "Dockerfile": dockerfile(v, perms),
    "README.md": readme(v),
  };
}

function mainTs(v: TemplateVars): string {
  return `/**
 * The ${v.name} sidecar. Replace the example jobs with calls to your tool.
 * @module
 */
import { bodyJob, defineSidecar, job, serveOrExit, serveSidecar, sharedPath } from "@tntc/sidecar-kit";
import { z } from "zod";

export const sidecar = defineSidecar({
  name: "${v.name}",
  port: ${v.port},
  // Startup self-check: /health answers 503 until this resolves.
  check: async ({ exec }) => {
    const { stdout } = await exec(["wc", "--version"]);
    return { wc: stdout.split("\\n")[0] ?? "" };
  },
  jobs: {
    // JSON in, JSON out: count the words of a file in the shared volume.
    wordcount: job({
      description: "Count the words of a file in /shared",
      input: z.object({ input: sharedPath({ mustExist: true, kind: "file" }) }),
      output: z.object({ input: z.string(), words: z.number().int() }),
      run: async ({ input }, ctx) => {
        const { stdout } = await ctx.exec(["wc", "-w", input]);
        return { input, words: Number(stdout.trim().split(/\\s+/)[0]) };
      },
    }),
    // Raw body in, raw body out, streamed through the tool.
    upper: bodyJob({
      description: "Upper-case a text body",
      accept: ["text/plain"],
      contentType: "text/plain; charset=utf-8",
      run: async (body, ctx) => ctx.pipe(["tr", "a-z", "A-Z"], { stdin: body }),
    }),
  },
});

if (import.meta.main) await serveOrExit(() => serveSidecar(sidecar));
`;
}

function testTs(v: TemplateVars): string {
  return `import assert from "node:assert/strict";
import { checkConformance, startTestSidecar } from "@tntc/sidecar-kit/testing";
import { sidecar } from "./main.ts";

Deno.test("${v.name}: /health is ok once the self-check passed", async () => {
  await using t = await startTestSidecar(sidecar);
  const res = await t.request("/health");
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, "ok");
});

Deno.test("${v.name}: wordcount counts the words of a shared file", async () => {
  await using t = await startTestSidecar(sidecar);
  const input = await t.writeShared("/shared/input/a.txt", "one two three\\n");
  const res = await t.postJson("wordcount", { input });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.words, 3);
  assert.equal(body.input, "/shared/input/a.txt");
});

Deno.test("${v.name}: wordcount refuses a path outside /shared", async () => {
  await using t = await startTestSidecar(sidecar);
  const res = await t.postJson("wordcount", { input: "/shared/../etc/passwd" });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /input/);
});

Deno.test("${v.name}: upper streams the body through tr", async () => {
  await using t = await startTestSidecar(sidecar);
  const res = await t.request("/upper", {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "hello",
  });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "HELLO");
});

Deno.test("${v.name}: passes the sidecar-kit conformance check", async () => {
  await using t = await startTestSidecar(sidecar, { listen: true });
  const report = await checkConformance(t.url!, { jobs: { upper: { body: "abc" } } });
  assert.ok(report.ok, report.summary);
});
`;
}

function dockerfile(v: TemplateVars, perms: string): string {
  const flags = ["run", "--cached-only", "--config=deno.json", ...perms.split(" "), "main.ts"];
  return `# ${v.name} sidecar image. Build it with \`deno task image\` (the kit's image.ts): it stages
# app/ (this directory), kit/ (the sidecar kit, when deno.json imports it by path) and deno-dir/
# (every dependency, cached on the host), then runs docker build, which needs no network.
# The base is a build argument (--base): the public Deno image, or a local stand-in.
# Install your tool in the image: the self-check in main.ts keeps /health at 503 until it runs.
# Only CMD is set: the base image's ENTRYPOINT (tini, in the public Deno images and the local
# stand-in) stays PID 1 and reaps tool grandchildren that outlive their parent.
ARG BASE=denoland/deno:debian-2.9.6
FROM \${BASE}
ENV DENO_DIR=/deno-dir/ DENO_NO_UPDATE_CHECK=1 PORT=${v.port} SHARED_DIR=/shared TMPDIR=/tmp
COPY deno-dir/ /deno-dir/
COPY kit/ /opt/kit/
COPY app/ /opt/app/
WORKDIR /opt/app
# Exec form: the base may have no shell. Fails the build if anything would need the network.
RUN ["deno", "cache", "--frozen", "--config=deno.json", "main.ts"]
USER 65534
EXPOSE ${v.port}
CMD [${flags.map((f) => `"${f}"`).join(", ")}]
`;
}

function readme(v: TemplateVars): string {
  return `# ${v.name} sidecar

Built with \`@tntc/sidecar-kit\`. Listens on port ${v.port}; \`GET /health\`, \`POST /wordcount\`
(JSON), \`POST /upper\` (text body), \`GET /openapi.json\`, \`GET /metrics\`.

\`\`\`sh
deno task test                                   # unit tests + conformance check
SHARED_DIR=/tmp/shared HOST=127.0.0.1 deno task start
deno task image                                  # the image: ${v.name}-sidecar:dev (--base to pick one)
\`\`\`

Add it to a workflow:

\`\`\`yaml
sidecars:
  - name: ${v.name}
    image: <your registry>/${v.name}-sidecar:0.1.0
    port: ${v.port}
\`\`\`

Settings (env): PORT, HOST, SHARED_DIR, MAX_CONCURRENCY, MAX_QUEUE, JOB_TIMEOUT_MS, BODY_LIMIT,
SHUTDOWN_GRACE_MS, LOG_LEVEL. The import of the kit is mapped in \`deno.json\`, which also opts in
to \`no-legacy-abort\` (Deno then aborts \`request.signal\` only when a client leaves, and does not
print its legacy-behavior warning).
`;
}
