/** What a finished process reported. */
export interface ProcessResult {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/**
 * Runs a program to completion. Throws `Deno.errors.NotFound` when the program is not on PATH.
 * Tests inject fakes; {@linkcode runProcess} is the real one.
 */
export type ProcessRunner = (cmd: string, args: string[], stdin?: string) => Promise<ProcessResult>;

/**
 * The real {@linkcode ProcessRunner}: `Deno.Command` with piped streams, `stdin` written then
 * closed.
 *
 * @param cmd Program name (looked up on PATH) or path.
 * @param args Its arguments.
 * @param stdin Text for its standard input (none when omitted).
 * @returns Exit code and output.
 * @throws {Deno.errors.NotFound} When `cmd` is not found.
 * @example
 * ```ts
 * import { runProcess } from "./kubectl.ts";
 * const { code, stdout } = await runProcess(Deno.execPath(), ["--version"]);
 * console.assert(code === 0 && stdout.startsWith("deno"));
 * ```
 */
export async function runProcess(
  cmd: string,
  args: string[],
  stdin?: string,
): Promise<ProcessResult> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    } catch {
      // The program exited without reading its input; its exit code and stderr tell why.
    }
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Result of {@linkcode kubectlApply}: applied, or why not — as data, with a message. */
export type ApplyOutcome =
  | { ok: true; context: string; output: string }
  | { ok: false; reason: "no-kubectl" | "no-context" | "apply-failed"; message: string };

/** Options of {@linkcode kubectlApply}. */
export interface ApplyOptions {
  /** A kubeconfig context to use instead of the current one. */
  context?: string;
  /** Runs kubectl (default {@linkcode runProcess}). */
  runner?: ProcessRunner;
  /** The kubectl program (default `kubectl`, looked up on PATH). */
  kubectl?: string;
}

/**
 * Applies manifests with `kubectl apply -f -` in a checked context: the current context, or
 * `options.context` if it exists in the kubeconfig. Missing kubectl or context is reported,
 * never thrown.
 *
 * @param manifests The YAML or JSON text.
 * @param options Context, runner, kubectl program.
 * @returns What happened.
 * @example
 * ```ts
 * import { kubectlApply } from "./kubectl.ts";
 * const outcome = await kubectlApply("", { runner: () => Promise.reject(new Deno.errors.NotFound()) });
 * console.assert(!outcome.ok && outcome.reason === "no-kubectl");
 * ```
 */
export async function kubectlApply(
  manifests: string,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const run = options.runner ?? runProcess;
  const kubectl = options.kubectl ?? "kubectl";
  const probe = options.context === undefined
    ? ["config", "current-context"]
    : ["config", "get-contexts", options.context, "-o", "name"];
  let found: ProcessResult;
  try {
    found = await run(kubectl, probe);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    return {
      ok: false,
      reason: "no-kubectl",
      message: `${kubectl} not found on PATH; install kubectl ` +
        "(https://kubernetes.io/docs/tasks/tools/) or use --dry-run to print the manifests",
    };
  }
  const context = options.context ?? found.stdout.trim();
  if (found.code !== 0 || context === "") {
    const why = firstLine(found.stderr) || "no current context";
    return {
      ok: false,
      reason: "no-context",
      message: options.context === undefined
        ? `no Kubernetes context is configured (kubectl: ${why}); select one with ` +
          "`kubectl config use-context NAME`, pass --context NAME, or use --dry-run"
        : `context "${options.context}" is not in your kubeconfig (kubectl: ${why}); ` +
          "list them with `kubectl config get-contexts`",
    };
  }
  const applied = await run(kubectl, ["apply", "--context", context, "-f", "-"], manifests);
  if (applied.code !== 0) {
    return {
      ok: false,
      reason: "apply-failed",
      message: `kubectl apply failed (exit ${applied.code}) in context "${context}":\n` +
        (applied.stderr.trim() || applied.stdout.trim()),
    };
  }
  return { ok: true, context, output: applied.stdout };
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
