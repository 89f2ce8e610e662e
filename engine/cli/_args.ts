import { parseArgs } from "node:util";

/** Parsed command-line: positionals and flag values. */
export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** Declared options of a command, as `node:util` parseArgs takes them. */
export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; default?: string | boolean }
>;

/**
 * Parses arguments strictly: an unknown flag is a usage error naming the flag.
 *
 * @param args The arguments after the command name.
 * @param options The flags the command accepts.
 * @returns Positionals and values.
 * @throws {TypeError} With a message naming the unknown or malformed flag.
 */
export function parseCommandArgs(args: string[], options: OptionSpec): ParsedArgs {
  try {
    const { positionals, values } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as ParsedArgs["values"] };
  } catch (cause) {
    throw new TypeError((cause as Error).message.replace(/\. To specify a positional.*$/s, ""), {
      cause,
    });
  }
}
