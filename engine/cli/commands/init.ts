import { fileURLToPath } from "node:url";
import { relative, resolve } from "node:path";
import { workflowJsonSchema } from "../../spec/json_schema.ts";
import { WORKFLOW_NAME } from "../../spec/schema.ts";
import { isFsError, parseCommandArgs } from "../_args.ts";
import type { Command } from "../command.ts";

const USAGE = `Usage: tntc init <name> [--dir DIR]

Creates a new workflow in DIR (default: ./<name>) that passes \`tntc validate\` as generated:
workflow.yaml (two nodes, a manual trigger), nodes/*.ts, workflow.schema.json for editor
autocompletion and a deno.json that maps \`tentacular\` (the Context types) for type checking. <name> must be a Kubernetes name: lowercase letters, digits and '-'.`;

/** `tntc init`: scaffold a new workflow. */
export const initCommand: Command = {
  name: "init",
  summary: "create a new workflow that validates as generated",
  usage: USAGE,
  async run(args, io) {
    let name: string;
    let dir: string;
    try {
      const parsed = parseCommandArgs(args, { dir: { type: "string" } });
      if (parsed.positionals.length !== 1) throw new TypeError("expected exactly one <name>");
      name = parsed.positionals[0]!;
      if (!WORKFLOW_NAME.test(name) || name.length > 63) {
        throw new TypeError(
          `invalid name "${name}": use lowercase letters, digits and '-', starting and ending with a letter or digit (at most 63)`,
        );
      }
      dir = (parsed.values.dir as string | undefined) ?? name;
    } catch (err) {
      io.err(`tntc init: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    try {
      if (await isNonEmptyDir(dir)) {
        io.err(`tntc init: ${dir} already exists and is not empty; choose another --dir`);
        return 1;
      }
      await writeWorkflow(dir, name);
    } catch (err) {
      if (!isFsError(err)) throw err;
      io.err(`tntc init: cannot create ${dir}: ${err.message}; choose another --dir`);
      return 1;
    }
    io.out(
      `created ${dir}/ (workflow.yaml, nodes/greet.ts, nodes/shout.ts, workflow.schema.json, deno.json)`,
    );
    io.out(`next: tntc validate ${dir} && tntc run ${dir} --input '{"name":"world"}'`);
    return 0;
  },
};

/**
 * Writes a new two-node workflow into `dir`.
 *
 * @param dir Target directory (created).
 * @param name The workflow name.
 */
export async function writeWorkflow(dir: string, name: string): Promise<void> {
  await Deno.mkdir(`${dir}/nodes`, { recursive: true });
  await Deno.writeTextFile(`${dir}/workflow.yaml`, workflowYaml(name));
  await Deno.writeTextFile(`${dir}/nodes/greet.ts`, GREET);
  await Deno.writeTextFile(`${dir}/nodes/shout.ts`, SHOUT);
  await Deno.writeTextFile(
    `${dir}/workflow.schema.json`,
    JSON.stringify(workflowJsonSchema(), null, 2) + "\n",
  );
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(denoConfig(dir), null, 2) + "\n");
}

/**
 * A deno.json that lets editors and `deno check` resolve `import type { Context } from
 * "tentacular"` to this engine's context types. (At run time the import is type-only and
 * erased, so the engine needs no mapping.)
 */
function denoConfig(dir: string): Record<string, unknown> {
  const types = fileURLToPath(new URL("../../run/context.ts", import.meta.url));
  const rel = relative(resolve(dir), types);
  return {
    imports: { tentacular: rel.startsWith(".") ? rel : `./${rel}` },
    compilerOptions: { strict: true },
  };
}

function workflowYaml(name: string): string {
  return `# yaml-language-server: $schema=./workflow.schema.json
name: ${name}
version: "1.0"
description: "A new workflow: greet someone, then shout it."

triggers:
  - type: manual

nodes:
  greet:
    path: ./nodes/greet.ts
    description: Builds a greeting from the input's name.
  shout:
    path: ./nodes/shout.ts
    description: Upper-cases the greeting.

edges:
  - from: greet
    to: shout

config:
  timeout: 30s
  retries: 0
  punctuation: "!"
`;
}

const GREET = `import type { Context } from "tentacular";

/** Builds a greeting from \`input.name\`. */
export default function run(ctx: Context, input: unknown): { greeting: string } {
  const name = (input as { name?: string } | null)?.name ?? "world";
  ctx.log.info("greeting", { name });
  return { greeting: \`hello, \${name}\` };
}
`;

const SHOUT = `import type { Context } from "tentacular";

/** Upper-cases the greeting and adds the configured punctuation. */
export default function run(ctx: Context, input: unknown): { message: string } {
  const { greeting } = input as { greeting: string };
  const punctuation = String(ctx.config.punctuation ?? "!");
  return { message: greeting.toUpperCase() + punctuation };
}
`;

async function isNonEmptyDir(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) return true;
    return false;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
