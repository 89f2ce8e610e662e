// deno-lint-ignore-file no-console -- a benchmark prints its table
/**
 * Bench servers, one per process: `bare` (plain Deno.serve), `bare-id` (plain Deno.serve with the
 * request-id contract), `bare-pipe` (plain handler piping to `wc -c`) or `kit` (a sidecar).
 * Prints `PORT <n>` once listening and ready.
 * @module
 */
import { z } from "zod";
import { bodyJob, defineSidecar, job } from "../define.ts";
import { serveSidecar } from "../serve.ts";

const mode = Deno.args[0];
if (mode === "bare") {
  const body = JSON.stringify({ status: "ok", sidecar: "bench", version: "0.0.0", info: {} });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(body, { headers: { "content-type": "application/json" } }),
  );
  console.log(`PORT ${server.addr.port}`);
} else if (mode === "bare-id") {
  // The same contract as the kit's health route, by hand: echo a valid X-Request-Id, else make
  // one. Any header besides content-type takes Deno.serve off its static-response fast path.
  const body = JSON.stringify({ status: "ok", sidecar: "bench", version: "0.0.0", info: {} });
  let n = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const given = req.headers.get("x-request-id");
    const id = given !== null && /^[\w.:@\/+=-]{1,200}$/.test(given) ? given : `bench-${++n}`;
    return new Response(body, {
      headers: { "content-type": "application/json", "x-request-id": id },
    });
  });
  console.log(`PORT ${server.addr.port}`);
} else if (mode === "bare-pipe") {
  // Baseline for the body-stream memory: the same tool fed by a plain handler.
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const child = new Deno.Command("wc", { args: ["-c"], stdin: "piped", stdout: "piped" }).spawn();
    req.body?.pipeTo(child.stdin).catch(() => {});
    return new Response(child.stdout);
  });
  console.log(`PORT ${server.addr.port}`);
} else {
  const sidecar = defineSidecar({
    name: "bench",
    jobs: {
      "run-true": job({
        input: z.object({}),
        run: async (_i, ctx) => (await ctx.exec(["true"]), { ok: true }),
      }),
      count: bodyJob({
        accept: ["*/*"],
        run: (body, ctx) => ctx.pipe(["wc", "-c"], { stdin: body }),
      }),
    },
  });
  const s = await serveSidecar(sidecar, {
    env: {
      ...Deno.env.toObject(),
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "error",
      BODY_LIMIT: "1gb",
      MAX_CONCURRENCY: "4",
    },
  });
  await s.sidecar.ready;
  console.log(`PORT ${s.port}`);
}
