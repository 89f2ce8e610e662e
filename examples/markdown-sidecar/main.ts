/**
 * Entry point: `deno task sidecar:markdown` serves the Markdown sidecar on `PORT` (default
 * 9001). `BODY_LIMIT` defaults to `1mb` here, the seed guide's threshold between HTTP bodies and
 * the shared volume; every other setting is the kit's (see sidecar-kit/README.md).
 * @module
 */
import { serveOrExit, serveSidecar } from "@tntc/sidecar-kit";
import { createMarkdownSidecar } from "./sidecar.ts";

/** Defaults this sidecar applies when the variable is unset. */
export const MARKDOWN_ENV_DEFAULTS: Readonly<Record<string, string>> = { BODY_LIMIT: "1mb" };

if (import.meta.main) {
  const env = (name: string) => Deno.env.get(name) ?? MARKDOWN_ENV_DEFAULTS[name];
  await serveOrExit(() => serveSidecar(createMarkdownSidecar({ env }), { env }));
}
