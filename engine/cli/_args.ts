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

/** A command's workflow directory (default `.`) and its flag values. */
export interface DirArgs {
  dir: string;
  values: ParsedArgs["values"];
}

/**
 * Parses the arguments of a command that takes at most one workflow directory. On a usage
 * error it prints `tntc <name>: <problem>` and the usage text, and returns `undefined` (the
 * caller exits 2).
 *
 * @param name The command name, for the message.
 * @param args The arguments after the command name.
 * @param options The flags the command accepts.
 * @param usage The command's usage text.
 * @param err Where to print the usage error.
 * @returns The directory and flag values, or `undefined` after a usage error.
 */
export function parseDirArgs(
  name: string,
  args: string[],
  options: OptionSpec,
  usage: string,
  err: (line: string) => void,
): DirArgs | undefined {
  try {
    const { positionals, values } = parseCommandArgs(args, options);
    if (positionals.length > 1) {
      throw new TypeError(`expected one workflow directory, got ${positionals.length}`);
    }
    return { dir: positionals[0] ?? ".", values };
  } catch (cause) {
    err(`tntc ${name}: ${(cause as Error).message}\n\n${usage}`);
    return undefined;
  }
}

/**
 * Whether `err` is one of Deno's file system errors (`Deno.errors.*`: not found, not a
 * directory, permission denied, ...), whose message a command can print as it is.
 */
export function isFsError(err: unknown): err is Error {
  return Object.values(Deno.errors).some((type) => err instanceof type);
}
