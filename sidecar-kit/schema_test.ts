import assert from "node:assert/strict";
import { z } from "zod";
import { defineSidecar, job } from "./define.ts";
import type { JobSchema, SchemaOutput } from "./schema.ts";
import { sharedPath } from "./shared_path_schema.ts";
import { startTestSidecar } from "./testing.ts";

Deno.test("job() gives run() the exact zod output type, including sharedPath fields", () => {
  const input = z.object({
    input: sharedPath(),
    log: sharedPath().optional(),
    fps: z.number().default(1),
    size: z.string().transform((s) => s.length),
  });
  const j = job({
    input,
    run: (i) => {
      const path: string = i.input;
      const log: string | undefined = i.log;
      const fps: number = i.fps;
      const size: number = i.size;
      // @ts-expect-error an optional path may be undefined
      const mustBeString: string = i.log;
      // @ts-expect-error a transformed field has the transform's type
      const notString: string = i.size;
      return { path, log, fps, size, mustBeString, notString };
    },
  });
  const out: SchemaOutput<typeof input> = { input: "/x", fps: 2, size: 3 };
  // The same fields; job() only makes the object reject unknown ones.
  assert.deepEqual(Object.keys(j.input.shape), Object.keys(input.shape));
  assert.equal(j.input._zod.def.catchall?._zod.def.type, "never");
  assert.equal(out.log, undefined);
});

Deno.test("job() rejects an input or output schema that is not a zod 4 schema, naming it", () => {
  const foreign: JobSchema<{ a: number }> = {
    "~standard": { version: 1, vendor: "valibot", validate: () => ({ value: { a: 1 } }) },
  };
  assert.throws(
    () => job({ input: foreign, run: () => ({}) }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === `job input must be a zod 4 schema (got vendor "valibot")`,
  );
  assert.throws(
    () => job({ input: z.object({}), output: foreign, run: () => ({}) }),
    /job output must be a zod 4 schema \(got vendor "valibot"\)/,
  );
});

Deno.test("an omitted sharedPath().optional() field reaches run() as undefined", async () => {
  const sidecar = defineSidecar({
    name: "opt",
    jobs: {
      show: job({
        input: z.object({ log: sharedPath().optional() }),
        run: ({ log }) => ({ given: log !== undefined, log: log ?? null }),
      }),
    },
  });
  await using t = await startTestSidecar(sidecar);
  const none = await t.postJson("show", {});
  assert.equal(none.status, 200);
  const { duration_ms: _, ...result } = await none.json();
  assert.deepEqual(result, { given: false, log: null });
  const some = await t.postJson("show", { log: "/shared/a.log" });
  assert.deepEqual((await some.json()).log, "/shared/a.log");
  const bad = await t.postJson("show", { log: "/etc/passwd" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^invalid input: log: /);
});
