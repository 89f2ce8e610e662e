import { workflowJsonSchema } from "../../spec/json_schema.ts";
import { parseCommandArgs } from "../_args.ts";
import type { Command } from "../command.ts";

const USAGE = `Usage: tntc schema

Prints the JSON Schema of workflow.yaml (generated from the engine's own zod schema). Save it
and point your editor at it, e.g. with the YAML language server add this first line to
workflow.yaml:

  # yaml-language-server: $schema=./workflow.schema.json

after \`tntc schema > workflow.schema.json\`.`;

/** `tntc schema`: the JSON Schema for editors. */
export const schemaCommand: Command = {
  name: "schema",
  summary: "print the JSON Schema of workflow.yaml for editor autocompletion",
  usage: USAGE,
  run(args, io) {
    try {
      const { positionals } = parseCommandArgs(args, {});
      if (positionals.length > 0) throw new TypeError(`unexpected argument "${positionals[0]}"`);
    } catch (err) {
      io.err(`tntc schema: ${(err as Error).message}\n\n${USAGE}`);
      return Promise.resolve(2);
    }
    io.out(JSON.stringify(workflowJsonSchema(), null, 2));
    return Promise.resolve(0);
  },
};
