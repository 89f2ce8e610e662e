/**
 * `POST /thumbnail`: `{ input, at = 0, output }` → one frame at `at` seconds written to `output`
 * (format from its extension: .jpg, .jpeg, .png or .webp).
 * @module
 */
import { job, type JsonJob, sharedPath, SidecarHttpError } from "@tntc/sidecar-kit";
import { z } from "zod";
import { inputFailure } from "./_ffmpeg_failure.ts";
import { codecArgs, type FrameFormat } from "./_frame_args.ts";
import { prepareOutput } from "./_output_file.ts";
import { probeMedia } from "./probe.ts";

const EXT_RE = /\.(jpe?g|png|webp)$/i;

/** Input schema of `POST /thumbnail`. */
export const thumbnailInput = z.object({
  input: sharedPath({ mustExist: true, kind: "file", description: "The video" }),
  at: z.number().min(0).default(0).describe("Position in seconds"),
  output: sharedPath({ description: "Image to write (.jpg, .jpeg, .png, .webp)" })
    .refine((path) => EXT_RE.test(path), "must end in .jpg, .jpeg, .png or .webp"),
  width: z.number().int().min(2).max(8192).optional()
    .describe("Output width; the height keeps the aspect ratio"),
  quality: z.number().int().min(1).max(100).optional().describe("1-100 (jpg, webp)"),
}).strict().superRefine((v, ctx) => {
  if (v.quality !== undefined && /\.png$/i.test(v.output)) {
    ctx.addIssue({
      code: "custom",
      path: ["quality"],
      message: "png is lossless: quality applies to jpg and webp only",
    });
  }
});

/** Builds the job. */
export function thumbnailJob(
  ffmpeg: () => string,
  ffprobe: () => string,
): JsonJob<typeof thumbnailInput> {
  return job({
    description: "Write one frame at a given time as an image",
    input: thumbnailInput,
    run: async (input, ctx) => {
      const ext = EXT_RE.exec(input.output)![1]!.toLowerCase();
      const format: FrameFormat = ext === "jpeg" ? "jpg" : ext as FrameFormat;
      const out = await prepareOutput(ctx.paths, input.output, input.input, ctx.id);
      try {
        const argv = [ffmpeg(), "-hide_banner", "-nostdin", "-v", "error"];
        if (input.at > 0) argv.push("-ss", String(input.at));
        argv.push("-i", input.input, "-map", "0:v:0", "-an", "-frames:v", "1", "-update", "1");
        if (input.width !== undefined) argv.push("-vf", `scale=${input.width}:-2`);
        argv.push(...codecArgs(format, input.quality), out.partial);
        try {
          await ctx.exec(argv);
        } catch (error) {
          throw inputFailure(error, ctx.paths, input.input);
        }
        if (!(await Deno.stat(out.partial).catch(() => null))?.size) {
          const info = await probeMedia(ffprobe(), input.input, ctx);
          throw new SidecarHttpError(
            422,
            `no frame at ${input.at} s: input "${ctx.paths.toVirtual(input.input)}" is ` +
              `${info.duration ?? "of unknown length"} s long`,
            { at: input.at, duration: info.duration },
          );
        }
        await out.commit();
      } finally {
        await out.discard();
      }
      return {
        output: input.output,
        at: input.at,
        format,
        size: (await Deno.stat(input.output)).size,
      };
    },
  });
}
