import assert from "node:assert/strict";
import { z } from "zod";
import { defineSidecar, job } from "./define.ts";
import { sharedPath } from "./shared_path_schema.ts";
import { startTestSidecar } from "./testing.ts";

// Type-level checks: each line fails `deno check` (and so `deno test`) if a type is wrong.
Deno.test("zod's common combinators on sharedPath() give run() the right types", () => {
  const input = z.object({
    video: sharedPath().refine((p) => p.endsWith(".mp4"), "must be an .mp4 file"),
    strict: sharedPath({ mustExist: true }).pipe(z.string().endsWith(".mkv")),
    size: sharedPath().pipe(z.string().transform((p) => p.length)),
    base: sharedPath().transform((p) => Promise.resolve({ dir: p.slice(0, p.lastIndexOf("/")) })),
    checked: sharedPath().superRefine((p, ctx) => {
      if (p.includes(" ")) ctx.addIssue("must not contain spaces");
    }).describe("A path without spaces"),
    parts: sharedPath().array(),
    extra: sharedPath().array().optional(),
    maybe: sharedPath().refine((p) => p.length > 3).optional(),
  });
  const j = job({
    input,
    run: (i) => {
      const video: string = i.video, strict: string = i.strict, size: number = i.size;
      const dir: string = i.base.dir, checked: string = i.checked, parts: string[] = i.parts;
      const extra: string[] | undefined = i.extra, maybe: string | undefined = i.maybe;
      // @ts-expect-error a piped transform has the transform's type
      const notString: string = i.size;
      // @ts-expect-error an optional field may be undefined
      const notOptional: string[] = i.extra;
      return { video, strict, size, dir, checked, parts, extra, maybe, notString, notOptional };
    },
  });
  // @ts-expect-error pipe() needs a schema that accepts a string
  sharedPath().pipe(z.number());
  // @ts-expect-error .default() would skip the path resolution: use sharedPath({ default })
  sharedPath().default("/shared/x");
  // The same fields; job() only makes the object reject unknown ones.
  assert.deepEqual(Object.keys(j.input.shape), Object.keys(input.shape));
  assert.equal(j.input._zod.def.catchall?._zod.def.type, "never");
});

const sidecar = defineSidecar({
  name: "fields",
  jobs: {
    show: job({
      input: z.object({
        video: sharedPath().refine((p) => p.endsWith(".mp4"), { error: "must be an .mp4 file" }),
        name: sharedPath().transform((p) => p.split("/").pop()!),
        ext: sharedPath().pipe(z.string().regex(/\.(mp4|mkv)$/, "must end in .mp4 or .mkv")),
        parts: sharedPath().array().optional(),
      }),
      run: (i) => ({ ...i }),
    }),
  },
});

Deno.test("refine, transform, pipe and array on sharedPath() run on the resolved path", async () => {
  await using t = await startTestSidecar(sidecar);
  const ok = await t.postJson("show", {
    video: "/shared/in/a.mp4",
    name: "/shared/in/b.mkv",
    ext: "c.mkv",
    parts: ["/shared/p/1.ts", "p/2.ts"],
  });
  assert.equal(ok.status, 200);
  const { duration_ms: _, ...body } = await ok.json();
  assert.deepEqual(body, {
    video: "/shared/in/a.mp4",
    name: "b.mkv",
    ext: "/shared/c.mkv",
    parts: ["/shared/p/1.ts", "/shared/p/2.ts"],
  });
});

Deno.test("their failures answer 400 naming each field, array items by index", async () => {
  await using t = await startTestSidecar(sidecar);
  const res = await t.postJson("show", {
    video: "/shared/a.avi",
    name: "/etc/passwd",
    ext: "x.txt",
    parts: ["/shared/ok", "/shared/../etc"],
  });
  assert.equal(res.status, 400);
  const { issues } = await res.json();
  assert.deepEqual(issues.map((i: { path: string; message: string }) => [i.path, i.message]), [
    ["video", "must be an .mp4 file"],
    ["name", `path "/etc/passwd" must be inside /shared`],
    ["ext", "must end in .mp4 or .mkv"],
    ["parts[1]", `path "/shared/../etc" must not contain '..' segments`],
  ]);
});
