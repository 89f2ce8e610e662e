/**
 * Per-job conformance probes, derived from each job's OpenAPI entry.
 * @module
 */
import type { ConformanceOptions, OpenApiDoc } from "./_conformance.ts";

/** Sends one request and records a check; returns the parsed JSON body if any. */
export type Probe = (
  name: string,
  path: string,
  init: RequestInit,
  expect: (res: Response, json: unknown) => string[],
  /** Whether the route must echo the `X-Request-Id` the probe sends (all but health). */
  echoesId?: boolean,
) => Promise<unknown>;

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema & { "x-shared-path"?: boolean }>;
  required?: string[];
  anyOf?: JsonSchema[];
}

const TRAVERSALS = [
  "../../../etc/passwd",
  "/etc/passwd",
  "/shared/../../etc/passwd",
  "/shared/a\u0000b",
];
const WRONG: Record<string, unknown> = {
  string: 12345,
  number: "not-a-number",
  integer: "not-an-integer",
  boolean: "not-a-boolean",
  array: "not-an-array",
  object: "not-an-object",
};

/** Runs the probes for every `POST /<job>` in the document. */
export async function jobChecks(
  doc: OpenApiDoc,
  probe: Probe,
  options: ConformanceOptions,
): Promise<void> {
  const limits = doc.info?.["x-limits"];
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.post as
      | {
        operationId?: string;
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
      | undefined;
    if (!op?.operationId) continue;
    const name = op.operationId;
    const content = op.requestBody?.content ?? {};
    const types = Object.keys(content);
    const status = (want: number, mustMention: string[] = []) => (res: Response, json: unknown) => {
      const p = res.status === want ? [] : [`expected ${want}`];
      const err = String((json as { error?: unknown } | undefined)?.error ?? "");
      for (const m of mustMention) if (!err.includes(m)) p.push(`error must name "${m}"`);
      return p;
    };
    await probe(`GET ${path} answers 405 JSON`, path, {}, status(405));
    const limit = limits?.body_limits?.[name] ?? limits?.body_limit;
    if (limit !== undefined && limit <= 64 * 1024 * 1024 && !options.skipOversize) {
      const pad = new Uint8Array(limit + 1).fill(0x20);
      await probe(`POST ${path} with ${limit + 1} bytes answers 413`, path, {
        method: "POST",
        headers: { "content-type": types[0] ?? "application/json" },
        body: pad,
      }, status(413));
    }
    const extra = options.jobs?.[name];
    if (types.includes("application/json")) {
      const json = (body: string) => ({
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await probe(
        `POST ${path} with malformed JSON answers 400`,
        path,
        json(`{"oops"`),
        status(400),
      );
      await probe(`POST ${path} with text/plain answers 415`, path, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "{}",
      }, status(415));
      const schema = content["application/json"]?.schema ?? {};
      const required = schema.required ?? [];
      if (required.length > 0) {
        await probe(
          `POST ${path} with {} names the required fields`,
          path,
          json("{}"),
          status(400, required),
        );
      }
      for (const [prop, s] of Object.entries(schema.properties ?? {})) {
        const wrong = s.type ? WRONG[s.type] : undefined;
        if (wrong !== undefined) {
          await probe(
            `POST ${path} with a wrong type for "${prop}" answers 400 naming it`,
            path,
            json(JSON.stringify({ [prop]: wrong })),
            status(400, [prop]),
          );
        }
        if (s["x-shared-path"]) {
          for (const t of TRAVERSALS) {
            await probe(
              `POST ${path} with ${prop}=${JSON.stringify(t)} answers 400`,
              path,
              json(JSON.stringify({ [prop]: t })),
              status(400, [prop]),
            );
          }
        }
      }
      if (extra?.valid !== undefined) {
        await probe(
          `POST ${path} with the valid sample answers 200`,
          path,
          json(JSON.stringify(extra.valid)),
          status(200),
        );
      }
    } else {
      if (!types.includes("*/*")) {
        await probe(`POST ${path} with an unaccepted content type answers 415`, path, {
          method: "POST",
          headers: { "content-type": "application/x-conformance-unknown" },
          body: "x",
        }, status(415));
      }
      if (extra?.body !== undefined) {
        await probe(`POST ${path} with the sample body answers 200`, path, {
          method: "POST",
          headers: { "content-type": extra.contentType ?? types[0] ?? "application/octet-stream" },
          body: extra.body,
        }, (res) => res.status === 200 ? [] : ["expected 200"]);
      }
    }
  }
}
