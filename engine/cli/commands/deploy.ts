import { kubectlApply, type ProcessRunner } from "../../k8s/kubectl.ts";
import { renderManifests } from "../../k8s/render.ts";
import { parseCommandArgs } from "../_args.ts";
import type { Command } from "../command.ts";
import { buildManifests, MANIFEST_FLAGS, manifestOptions } from "./manifest.ts";

const USAGE =
  `Usage: tntc deploy [dir] [--engine-image IMAGE] [--namespace NS] [--context NAME] [--dry-run]

Generates the resources of <dir>'s workflow (see \`tntc manifest\`) and applies them with
\`kubectl apply -f -\` in the current kubeconfig context (or --context NAME).

Options:
  --engine-image IMAGE  engine image (default ghcr.io/randybias/tentacular-engine:v0.7.0)
  --namespace NS        target an existing namespace instead of pd-<workflow>
  --context NAME        kubeconfig context to apply in (default: the current context)
  --dry-run             print the manifests instead of applying them (no kubectl needed)`;

/** What `tntc deploy` runs kubectl with; tests inject a fake. */
export interface DeployDeps {
  /** Runs kubectl (default: a real subprocess). */
  runner?: ProcessRunner;
}

/**
 * Makes the `tntc deploy` command.
 *
 * @param deps How to run kubectl.
 * @returns The command.
 */
export function createDeployCommand(deps: DeployDeps = {}): Command {
  return {
    name: "deploy",
    summary: "kubectl apply a workflow's resources (--dry-run prints them)",
    usage: USAGE,
    async run(args, io) {
      let parsed;
      try {
        parsed = parseCommandArgs(args, {
          ...MANIFEST_FLAGS,
          context: { type: "string" },
          "dry-run": { type: "boolean" },
        });
        if (parsed.positionals.length > 1) {
          throw new TypeError(`expected one workflow directory, got ${parsed.positionals.length}`);
        }
      } catch (err) {
        io.err(`tntc deploy: ${(err as Error).message}\n\n${USAGE}`);
        return 2;
      }
      const dir = parsed.positionals[0] ?? ".";
      const manifests = await buildManifests("deploy", dir, manifestOptions(parsed.values), io);
      if (typeof manifests === "number") return manifests;
      const text = renderManifests(manifests.objects);
      if (parsed.values["dry-run"] === true) {
        io.out(text.trimEnd());
        io.err(`dry run: nothing applied (${manifests.objects.length} objects)`);
        return 0;
      }
      const context = parsed.values.context;
      const outcome = await kubectlApply(text, {
        ...(typeof context === "string" ? { context } : {}),
        ...(deps.runner ? { runner: deps.runner } : {}),
      });
      if (!outcome.ok) {
        io.err(`tntc deploy: ${outcome.message}`);
        return 1;
      }
      if (outcome.output.trim() !== "") io.out(outcome.output.trimEnd());
      io.out(
        `deployed workflow "${
          manifests.objects.at(-1)?.metadata?.name
        }" to namespace ${manifests.namespace} (context ${outcome.context})`,
      );
      return 0;
    },
  };
}

/** `tntc deploy`: apply a workflow's resources with kubectl. */
export const deployCommand: Command = createDeployCommand();
