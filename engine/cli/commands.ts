import type { Command } from "./command.ts";
import { flagsCommand } from "./commands/flags.ts";
import { initCommand } from "./commands/init.ts";
import { schemaCommand } from "./commands/schema.ts";
import { validateCommand } from "./commands/validate.ts";
import { visualizeCommand } from "./commands/visualize.ts";

/** Every `tntc` sub-command, in help order. Add a command by adding one line here. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  validateCommand,
  flagsCommand,
  visualizeCommand,
  schemaCommand,
];
