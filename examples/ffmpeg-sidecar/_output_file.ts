/**
 * Writing a tool's output file safely: ffmpeg writes a hidden partial file next to the target,
 * which is renamed into place only when the job succeeded (a failed, timed-out or cancelled job
 * leaves nothing behind and never clobbers an earlier good file).
 * @module
 */
import { type SharedPaths, SidecarHttpError } from "@tntc/sidecar-kit";

/** A pending output file. */
export interface OutputFile {
  /** Where the tool writes (same directory and extension as the target). */
  partial: string;
  /** Renames the partial file to the target. */
  commit(): Promise<void>;
  /** Removes the partial file if it exists. */
  discard(): Promise<void>;
}

/**
 * Prepares `target` (a real path): refuses the input itself, creates the parent directory.
 * @throws {SidecarHttpError} 400 when `target` is the input file or an existing directory.
 */
export async function prepareOutput(
  paths: SharedPaths,
  target: string,
  input: string,
  jobId: string,
): Promise<OutputFile> {
  if (target === input) {
    throw outputProblem(`must differ from input "${paths.toVirtual(input)}"`);
  }
  const existing = await Deno.stat(target).catch(() => null);
  if (existing?.isDirectory) throw outputProblem(`"${paths.toVirtual(target)}" is a directory`);
  const slash = target.lastIndexOf("/");
  const dir = target.slice(0, slash);
  const name = target.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot) : "";
  await paths.ensureDir(dir);
  const partial = `${dir}/.${name}.${jobId}.partial${ext}`;
  return {
    partial,
    commit: () => Deno.rename(partial, target),
    discard: () => Deno.remove(partial).catch(() => {}),
  };
}

/** A 400 about the `output` field, shaped like the kit's own (`error` plus `issues[]`). */
function outputProblem(message: string): SidecarHttpError {
  return new SidecarHttpError(400, `invalid input: output: ${message}`, {
    issues: [{ path: "output", message, code: "custom" }],
  });
}
