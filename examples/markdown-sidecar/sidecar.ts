/**
 * The Markdown converter sidecar: `POST /convert` streams a Markdown body through `cmark-gfm`
 * and streams the HTML back (the seed guide's HTTP-body pattern).
 * @module
 */
import { bodyJob, defineSidecar, type Sidecar } from "@tntc/sidecar-kit";
import { findCmark } from "./find_cmark.ts";

/** GitHub-flavoured extensions passed to `cmark-gfm`, in order. */
export const GFM_EXTENSIONS: readonly string[] = [
  "table",
  "strikethrough",
  "autolink",
  "tagfilter",
  "tasklist",
];

/** Options of {@linkcode createMarkdownSidecar}. */
export interface MarkdownSidecarOptions {
  /** Path of `cmark-gfm` (default: {@linkcode findCmark} at start-up, so health reports it). */
  cmark?: string;
  /** Environment lookup used to find the binary (default `Deno.env.get`). */
  env?: (name: string) => string | undefined;
  /** Keep raw HTML in the Markdown (default `false`: cmark-gfm's safe mode removes it). */
  unsafe?: boolean;
  /** Body size limit in bytes (default: the kit's `BODY_LIMIT`). */
  maxBytes?: number;
  /** Per-conversion timeout in ms (default 30000). */
  timeoutMs?: number;
}

/**
 * Builds the sidecar definition: name `markdown`, port 9001, one body job `convert` that accepts
 * `text/plain` or `text/markdown` and answers `text/html; charset=utf-8`. The start-up self-check
 * finds the binary and runs `cmark-gfm --version`; `/health` shows `cmark` (path),
 * `cmark_version` and `extensions`, and stays 503 when the binary is missing.
 *
 * @param options Binary path, safe mode, body limit and timeout.
 * @returns The sidecar, for `serveSidecar` or `startTestSidecar`.
 * @throws {TypeError} When `maxBytes` or `timeoutMs` is not a positive integer.
 * @example
 * ```ts
 * import { createMarkdownSidecar } from "./sidecar.ts";
 * const sidecar = createMarkdownSidecar();
 * if (sidecar.port !== 9001 || !("convert" in sidecar.jobs)) throw new Error("shape");
 * ```
 */
export function createMarkdownSidecar(options: MarkdownSidecarOptions = {}): Sidecar {
  if (
    options.maxBytes !== undefined && !(Number.isInteger(options.maxBytes) && options.maxBytes > 0)
  ) {
    throw new TypeError(`maxBytes must be a positive integer, got ${options.maxBytes}`);
  }
  let binary = options.cmark;
  const args = [
    "--to",
    "html",
    "--validate-utf8",
    ...GFM_EXTENSIONS.flatMap((e) => ["--extension", e]),
    ...(options.unsafe ? ["--unsafe"] : []),
  ];
  return defineSidecar({
    name: "markdown",
    version: "0.1.0",
    port: 9001,
    check: async ({ exec }) => {
      binary ??= findCmark(options.env).path;
      const { stdout } = await exec([binary, "--version"]);
      const version = /cmark-gfm\s+(\S+)/.exec(stdout)?.[1];
      if (version === undefined) {
        throw new Error(
          `${binary} --version did not print a cmark-gfm version: "${stdout.trim()}"`,
        );
      }
      return { cmark: binary, cmark_version: version, extensions: [...GFM_EXTENSIONS] };
    },
    jobs: {
      convert: bodyJob({
        description: "Markdown (GitHub-flavoured) in the body → HTML in the body, via cmark-gfm",
        accept: ["text/plain", "text/markdown"],
        contentType: "text/html; charset=utf-8",
        timeoutMs: options.timeoutMs ?? 30_000,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        // The self-check has set `binary` before the kit admits any job.
        run: (body, ctx) => Promise.resolve(ctx.pipe([binary!, ...args], { stdin: body })),
      }),
    },
  });
}
