/** One `tntc` sub-command. */
export interface Command {
  /** The word after `tntc`, e.g. `validate`. */
  name: string;
  /** One line for `tntc --help`. */
  summary: string;
  /** Usage text printed by `tntc <name> --help` and on usage errors. */
  usage: string;
  /**
   * Runs the command.
   *
   * @param args The arguments after the command name.
   * @param io Where to print (injectable for tests).
   * @returns The process exit code.
   */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Output streams of a command; tests pass collectors. */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
}
