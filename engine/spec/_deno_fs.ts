import type { NodeFileSystem } from "./node_rules.ts";

/** The real file system, via Deno's synchronous APIs. */
export const denoFileSystem: NodeFileSystem = {
  realPath(dir, relative) {
    try {
      const real = Deno.realPathSync(`${dir}/${relative}`);
      return Deno.statSync(real).isFile ? real : undefined;
    } catch {
      return undefined;
    }
  },
  realDir(dir) {
    return Deno.realPathSync(dir);
  },
};
