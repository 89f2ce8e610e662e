/**
 * Thin wrapper over the `docker` command line, used where the CLI reports
 * errors better than the testcontainers API (image builds, inspect).
 *
 * @module
 */

/** What one `docker` invocation produced. */
export interface DockerResult {
  /** The process exit code (0 = success). */
  code: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
  /** Standard error, decoded as UTF-8. */
  stderr: string;
}

/** Environment for every docker call: the legacy builder works with every CLI/daemon pair. */
const DOCKER_ENV = { DOCKER_BUILDKIT: "0", DOCKER_CLI_HINTS: "false" };

/**
 * Runs `docker <args>` and returns its outcome without throwing on a non-zero exit.
 *
 * @param args The arguments after `docker`.
 * @returns The exit code and the captured output.
 * @throws {Deno.errors.NotFound} When no `docker` binary is on PATH.
 */
export async function runDocker(args: string[]): Promise<DockerResult> {
  const out = await new Deno.Command("docker", {
    args,
    env: DOCKER_ENV,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/**
 * Runs `docker <args>` and returns its standard output.
 *
 * @param args The arguments after `docker`.
 * @returns Standard output with surrounding whitespace trimmed.
 * @throws {Error} When docker exits non-zero; the message holds the command and the
 * last lines of its output.
 */
export async function docker(args: string[]): Promise<string> {
  const result = await runDocker(args);
  if (result.code !== 0) {
    throw new Error(
      `docker ${args.join(" ")} failed with exit code ${result.code}:\n` +
        tail(`${result.stdout}\n${result.stderr}`, 30),
    );
  }
  return result.stdout.trim();
}

/** The last `lines` non-empty lines of `text`. */
function tail(text: string, lines: number): string {
  return text.split("\n").filter((line) => line.trim() !== "").slice(-lines).join("\n");
}
