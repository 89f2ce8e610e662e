import assert from "node:assert/strict";
import { z } from "zod";
import { bodyJob, defineSidecar, job } from "./define.ts";
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
          "  - port 0 is out of range (1-65535)",
          `  - job name "Up" is invalid: must match [a-z][a-z0-9_-]*`,
          `  - job name "metrics" is reserved (health, jobs, metrics, openapi.json)`,
        ].join("\n"),
      );
      return true;
    },
  );
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
