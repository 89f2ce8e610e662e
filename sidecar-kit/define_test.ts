import assert from "node:assert/strict";
import { z } from "zod";
import { bodyJob, defineSidecar, job } from "./define.ts";
import { startTestSidecar } from "./testing.ts";
import type { HealthBody } from "./types.ts";

const noop = job({ input: z.object({}), run: () => ({}) });

Deno.test("defineSidecar() lists every problem of a definition at once", () => {
  assert.throws(
    () =>
      defineSidecar({
        name: "Bad",
        port: 0,
        healthBody: "ok" as unknown as HealthBody,
        jobs: { metrics: noop, "Up": noop },
      }),
    (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.equal(
        e.message,
        [
          "invalid sidecar definition:",
          `  - sidecar name "Bad" is invalid: must match [a-z][a-z0-9_-]*`,
          "  - healthBody must be a function, got string",
          `  - sidecar "Bad": port 0 is out of range (1024-65535)`,
          `  - job name "Up" is invalid: must match [a-z][a-z0-9_-]*`,
          `  - job name "metrics" is reserved (health, jobs, metrics, openapi.json)`,
        ].join("\n"),
      );
      return true;
    },
  );
});

Deno.test("defineSidecar() holds the port to the Sidecar Specification: 1024-65535, never 8080", () => {
  assert.throws(
    () => defineSidecar({ name: "web", port: 8080, jobs: { noop } }),
    /sidecar "web": port 8080 is reserved for the engine/,
  );
  assert.throws(
    () => defineSidecar({ name: "web", port: 80, jobs: { noop } }),
    /sidecar "web": port 80 is out of range \(1024-65535\)/,
  );
  assert.equal(defineSidecar({ name: "web", port: 1024, jobs: { noop } }).port, 1024);
});

Deno.test("job() and bodyJob() reject invalid limits", () => {
  assert.throws(
    () => job({ input: z.object({}), timeoutMs: 0, run: () => ({}) }),
    /timeoutMs must be an integer >= 1/,
  );
  assert.throws(
    () => bodyJob({ accept: [], run: () => "" }),
    /accept must list at least one/,
  );
});

Deno.test("job() inputs reject unknown top-level fields unless the schema says otherwise", async () => {
  const plain = job({ input: z.object({ fps: z.number() }), run: () => ({}) });
  const loose = job({ input: z.object({ fps: z.number() }).loose(), run: () => ({}) });
  const notObject = job({ input: z.array(z.number()), run: () => ({}) });
  // The strict copy keeps what OpenAPI shows of the schema.
  const described = job({
    input: z.object({ fps: z.number() }).describe("Frames per second"),
    run: () => ({}),
  });
  assert.equal(described.input.description, "Frames per second");
  assert.equal(z.safeParse(plain.input, { fps: 1, fsp: 2 }).success, false);
  assert.equal(z.safeParse(loose.input, { fps: 1, fsp: 2 }).success, true);
  assert.equal(z.safeParse(notObject.input, [1]).success, true);
  // Served: a 400 naming the unknown field and what is allowed.
  const sidecar = defineSidecar({ name: "opts", jobs: { plain } });
  await using t = await startTestSidecar(sidecar);
  const res = await t.postJson("plain", { fps: 1, fsp: 2 });
  assert.equal(res.status, 400);
  assert.equal(
    (await res.json()).error,
    'invalid input: (body): Unrecognized key: "fsp" (allowed: fps)',
  );
});
