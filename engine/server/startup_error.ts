import { NodeLoadError } from "../run/node_load_error.ts";

/**
 * Turns an error that stopped the engine from starting into log fields a person can act on:
 * the message, every listed problem (validation issues, unsupported triggers, unresolved
 * webhook secrets, node load failures) as `problems`, and the stack only for errors that are
 * not one of the engine's own descriptive errors.
 *
 * @param err What `loadWorkflow`, `createRunner` or `startEngine` threw.
 * @param listen The address the engine was to listen on (named when it is taken).
 * @returns Fields for the `cannot start the engine` log line.
 * @example
 * ```ts
 * import { describeStartupError } from "./startup_error.ts";
 * import { UnsupportedTriggerError } from "../triggers/unsupported.ts";
 * const fields = describeStartupError(
 *   new UnsupportedTriggerError([{ index: 0, trigger: { type: "queue", subject: "jobs" } }]),
 * );
 * console.assert(fields.error === "UnsupportedTriggerError" && fields.problems?.length === 1);
 * ```
 */
export function describeStartupError(
  err: unknown,
  listen?: string,
): { error: string; message: string; problems?: string[]; stack?: string } {
  if (!(err instanceof Error)) return { error: "Error", message: String(err) };
  const lines = err.message.split("\n").map((l) => l.trim().replace(/^- /, "")).filter(Boolean);
  const known = KNOWN.has(err.name) || err instanceof Deno.errors.NotFound ||
    err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.AddrInUse ||
    err instanceof Deno.errors.AddrNotAvailable;
  const fields: { error: string; message: string; problems?: string[]; stack?: string } = {
    error: err.name,
    message: lines[0] ?? err.name,
  };
  if (err instanceof NodeLoadError) {
    // One problem per node, each whole: a syntax error's source excerpt spans lines.
    fields.problems = Object.keys(err.errors).sort().map((name) => err.errors[name]!);
  } else if (err instanceof Deno.errors.AddrInUse || err instanceof Deno.errors.AddrNotAvailable) {
    fields.message = `cannot listen on ${listen ?? "the address"}: ${err.message}`;
    fields.problems = [
      "another process holds this address; stop it, or pick another port (tntc dev --port N, " +
      "engine --listen host:port)",
    ];
  } else if (lines.length > 1) {
    // "workflow.yaml has 2 problems:" / "cannot load secrets:" head a list; otherwise every
    // line is a problem of its own.
    fields.problems = lines[0]?.endsWith(":") ? lines.slice(1) : lines;
  } else if (KNOWN.has(err.name)) {
    fields.problems = lines;
  }
  if (!known) fields.stack = err.stack;
  return fields;
}

const KNOWN = new Set([
  "WorkflowValidationError",
  "WorkflowSyntaxError",
  "UnsupportedTriggerError",
  "WebhookSecretError",
  "NodeLoadError",
  "EngineArgsError",
]);
