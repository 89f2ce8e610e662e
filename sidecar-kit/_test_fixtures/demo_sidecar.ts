/**
 * A sidecar exercising every feature, used by the kit's own tests (in-process and as a real
 * `deno run` subprocess).
 * @module
 */
import { z } from "zod";
import { bodyJob, defineSidecar, job } from "../define.ts";
import { serveOrExit, serveSidecar } from "../serve.ts";
import { sharedPath } from "../shared_path_schema.ts";

const FORK = new URL("./fork_children.sh", import.meta.url).pathname;

/** The demo sidecar. */
export const demo = defineSidecar({
  name: "demo",
  version: "1.2.3",
  check: async ({ exec }) => ({ sh: (await exec(["sh", "-c", "echo ok"])).stdout.trim() }),
  jobs: {
    add: job({
      input: z.object({ a: z.number(), b: z.number().positive() }),
      output: z.object({ sum: z.number() }),
      run: ({ a, b }) => ({ sum: a + b }),
    }),
    sleep: job({
      input: z.object({ seconds: z.number().min(0).max(60), pid_file: sharedPath().optional() }),
      run: async ({ seconds, pid_file }, ctx) => {
        if (pid_file) {
          await ctx.exec([FORK, pid_file]);
        } else {
          await ctx.exec(["sleep", String(seconds)]);
        }
        return { slept: seconds };
      },
    }),
    fail: job({
      input: z.object({ code: z.number().int().min(1).max(255) }),
      run: async ({ code }, ctx) => {
        await ctx.exec(["sh", "-c", `echo "something broke" >&2; exit ${code}`]);
        return {};
      },
    }),
    frames: job({
      input: z.object({
        count: z.number().int().min(1).max(10),
        output_dir: sharedPath({ default: "/shared/output" }),
      }),
      run: async ({ count, output_dir }, ctx) => {
        const dir = await ctx.outputDir(output_dir);
        const scratch = await ctx.scratchDir();
        for (let i = 1; i <= count; i++) {
          await Deno.writeTextFile(`${scratch}/tmp_${i}`, "x");
          await Deno.writeTextFile(`${dir}/frame_${i}.jpg`, `frame ${i}`);
          ctx.progress({ percent: Math.round((i / count) * 100), frame: i });
        }
        const frames = [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`).sort();
        return { frames, count: frames.length, scratch };
      },
    }),
    progress: job({
      input: z.object({
        steps: z.number().int().min(1).max(50),
        delay_ms: z.number().int().min(0).default(20),
      }),
      run: async ({ steps, delay_ms }, ctx) => {
        await ctx.exec([
          "sh",
          "-c",
          `i=1; while [ $i -le ${steps} ]; do echo "step=$i"; sleep ${
            delay_ms / 1000
          }; i=$((i+1)); done`,
        ], {
          onStdoutLine: (line) =>
            ctx.progress({ percent: Math.round(Number(line.split("=")[1]) / steps * 100) }),
        });
        return { steps };
      },
    }),
    upper: bodyJob({
      accept: ["text/plain", "text/markdown"],
      contentType: "text/plain; charset=utf-8",
      maxBytes: 1024,
      run: (body, ctx) => ctx.pipe(["tr", "a-z", "A-Z"], { stdin: body }),
    }),
    count: bodyJob({
      accept: ["*/*"],
      run: (body, ctx) => ctx.pipe(["wc", "-c"], { stdin: body }),
    }),
    broken: bodyJob({
      accept: ["text/plain"],
      run: (body, ctx) =>
        ctx.pipe(["sh", "-c", "cat >/dev/null; echo 'no such option' >&2; exit 2"], {
          stdin: body,
        }),
    }),
  },
});

if (import.meta.main) await serveOrExit(() => serveSidecar(demo));
