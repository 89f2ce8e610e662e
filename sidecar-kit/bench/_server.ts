// deno-lint-ignore-file no-console -- a benchmark prints its table
/**
 * Bench servers, one per process: `bare` (plain Deno.serve), `bare-pipe` and `bare-small` (plain
 * handlers piping to a tool) or `kit` (a sidecar with the body jobs `/count` = `wc -c` and `/cat`).
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
} else if (mode === "bare-pipe" || mode === "bare-small") {
  // Baselines for the body-stream memory: the same tool fed by a plain handler, either with
  // `req.body.pipeTo(stdin)` or reading 4 KiB at a time into one buffer as the kit does (see
  // `READ_BYTES` in `_limit_stream.ts`). The tool is `Deno.args[1]`: `wc` (`wc -c`) or `cat`.
  const [bin, ...args] = Deno.args[1] === "cat" ? ["cat"] : ["wc", "-c"];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const child = new Deno.Command(bin!, { args, stdin: "piped", stdout: "piped" }).spawn();
    if (mode === "bare-pipe") req.body?.pipeTo(child.stdin).catch(() => {});
    else if (req.body) smallReads(req.body, child.stdin).catch(() => {});
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
      cat: bodyJob({ accept: ["*/*"], run: (body, ctx) => ctx.pipe(["cat"], { stdin: body }) }),
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

/** Copies `body` to `stdin` reading 4 KiB at a time (BYOB) into one reused buffer. */
async function smallReads(body: ReadableStream<Uint8Array>, stdin: WritableStream<Uint8Array>) {
  const reader = body.getReader({ mode: "byob" });
  const writer = stdin.getWriter();
  let buffer = new ArrayBuffer(4096);
  for (;;) {
    const r = await reader.read(new Uint8Array(buffer));
    if (r.done) break;
    await writer.write(r.value);
    buffer = r.value.buffer;
  }
  await writer.close();
}
