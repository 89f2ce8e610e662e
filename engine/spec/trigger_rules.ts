import { Cron } from "croner";
import type { SpecIssueDraft } from "./_draft.ts";
import { jsonDataProblem } from "../run/json_data.ts";
import { DEFAULT_PORTS } from "./schema.ts";

/** Paths the engine's HTTP server uses itself; a webhook may not take them. */
export const RESERVED_PATHS = ["/run", "/runs", "/health", "/ready", "/metrics"];

/**
 * Checks `triggers:` beyond their shape: cron expressions parse (with croner), webhook paths
 * are unique and do not shadow the engine's own routes.
 *
 * @param triggers The raw `triggers` value.
 * @returns One draft issue per problem.
 */
export function checkTriggers(triggers: unknown): SpecIssueDraft[] {
  if (!Array.isArray(triggers)) return [];
  const issues: SpecIssueDraft[] = [];
  const paths = new Map<string, number>();
  triggers.forEach((raw, i) => {
    const t = raw as { type?: unknown; schedule?: unknown; path?: unknown; input?: unknown } | null;
    if (t?.input !== undefined) {
      // It becomes a run's input: the same JSON data rules as a POST /run body.
      const problem = jsonDataProblem(t.input, `triggers[${i}].input`);
      if (problem !== null) issues.push({ path: ["triggers", i, "input"], message: problem });
    }
    if (t?.type === "cron" && typeof t.schedule === "string") {
      try {
        new Cron(t.schedule, { paused: true });
      } catch (cause) {
        const reason = (cause as Error).message.replace(/^CronPattern: /, "");
        issues.push({
          path: ["triggers", i, "schedule"],
          message: `triggers[${i}].schedule: invalid cron expression "${t.schedule}": ${reason}`,
        });
      }
    }
    if (t?.type === "webhook" && typeof t.path === "string") {
      const reserved = RESERVED_PATHS.find((p) =>
        t.path === p || String(t.path).startsWith(p + "/")
      );
      if (reserved) {
        issues.push({
          path: ["triggers", i, "path"],
          message: `triggers[${i}].path: "${t.path}" is reserved for the engine (reserved: ${
            RESERVED_PATHS.join(", ")
          })`,
        });
      }
      const first = paths.get(t.path);
      if (first !== undefined) {
        issues.push({
          path: ["triggers", i, "path"],
          message:
            `triggers[${i}].path: duplicate webhook path "${t.path}" (first at triggers[${first}])`,
        });
      } else paths.set(t.path, i);
    }
  });
  return issues;
}

/**
 * Checks contract dependencies: names (referenced by `ctx.fetch(name, ...)`) and that a
 * protocol without a default port has an explicit `port`.
 *
 * @param contract The raw `contract` value.
 * @returns One draft issue per problem.
 */
export function checkContract(contract: unknown): SpecIssueDraft[] {
  const deps = (contract as { dependencies?: unknown } | null)?.dependencies;
  if (deps === null || typeof deps !== "object" || Array.isArray(deps)) return [];
  const issues: SpecIssueDraft[] = [];
  for (const [name, dep] of Object.entries(deps)) {
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      issues.push({
        path: ["contract", "dependencies", name],
        atKey: true,
        message: `dependency name "${name}" is invalid: must match [a-z][a-z0-9_-]*`,
      });
    }
    const d = dep as { protocol?: unknown; port?: unknown } | null;
    if (typeof d?.protocol === "string" && d.port === undefined && !(d.protocol in DEFAULT_PORTS)) {
      issues.push({
        path: ["contract", "dependencies", name, "protocol"],
        message: `dependency "${name}": protocol "${d.protocol}" has no default port; set port`,
      });
    }
  }
  return issues;
}
