import type { Command } from "./command.ts";
import { devCommand } from "./commands/dev.ts";
import { deployCommand } from "./commands/deploy.ts";
import { flagsCommand } from "./commands/flags.ts";
import { initCommand } from "./commands/init.ts";
import { runCommand } from "./commands/run.ts";
import { manifestCommand } from "./commands/manifest.ts";
import { schemaCommand } from "./commands/schema.ts";
import { sidecarCommand } from "./commands/sidecar.ts";
import { validateCommand } from "./commands/validate.ts";
import { visualizeCommand } from "./commands/visualize.ts";

/** Every `tntc` sub-command, in help order. Add a command by adding one line here. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  validateCommand,
  devCommand,
  runCommand,
  flagsCommand,
  visualizeCommand,
  schemaCommand,
  manifestCommand,
  deployCommand,
  sidecarCommand,
];
