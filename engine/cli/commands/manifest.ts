import { ManifestError } from "../../k8s/errors.ts";
import { manifestsFromDir } from "../../k8s/from_dir.ts";
import type { ManifestOptions, Manifests } from "../../k8s/manifests.ts";
import { OUTPUT_FORMATS, type OutputFormat, renderManifests } from "../../k8s/render.ts";
import { parseDirArgs } from "../_args.ts";
import type { Command, CommandIO } from "../command.ts";
import { reportInvalid } from "./validate.ts";

const USAGE = `Usage: tntc manifest [dir] [--engine-image IMAGE] [--namespace NS] [-o yaml|json]

Prints the Kubernetes resources of <dir>'s workflow (default: the current directory):
the Deployment (the workflow pod of the Sidecar Specification), a ConfigMap with the
workflow code, a Service on port 8080, a NetworkPolicy, and — unless --namespace is
given — the Namespace pd-<workflow>. Warnings (e.g. images not pinned by digest) and the
Secrets the pod needs go to stderr.

Options:
  --engine-image IMAGE  engine image (default ghcr.io/randybias/tentacular-engine:v0.7.0)
  --namespace NS        target an existing namespace instead of pd-<workflow>
  -o, --output FORMAT   yaml (default; documents separated by ---) or json (a v1 List)`;

/** Flags shared by `tntc manifest` and `tntc deploy`. */
export const MANIFEST_FLAGS = {
  "engine-image": { type: "string" },
  namespace: { type: "string" },
} as const;

/** `tntc manifest`: print a workflow's Kubernetes resources. */
export const manifestCommand: Command = {
  name: "manifest",
  summary: "print the Kubernetes resources (Deployment, ConfigMap, Service, ...) of a workflow",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseDirArgs(
      "manifest",
      args,
      {
        ...MANIFEST_FLAGS,
        output: { type: "string", short: "o", default: "yaml" },
      },
      USAGE,
      io.err,
    );
    if (!parsed) return 2;
    const format = parsed.values.output as string;
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
      io.err(`tntc manifest: -o must be yaml or json, got "${format}"\n\n${USAGE}`);
      return 2;
    }
    const { dir } = parsed;
    const manifests = await buildManifests("manifest", dir, manifestOptions(parsed.values), io);
    if (typeof manifests === "number") return manifests;
    io.out(renderManifests(manifests.objects, format as OutputFormat).trimEnd());
    return 0;
  },
};

/**
 * Reads the manifest options from parsed flags.
 *
 * @param values Parsed flag values.
 * @returns Options for `generateManifests`.
 */
export function manifestOptions(values: Record<string, unknown>): ManifestOptions {
  const options: ManifestOptions = {};
  if (typeof values["engine-image"] === "string") options.engineImage = values["engine-image"];
  if (typeof values.namespace === "string") options.namespace = values.namespace;
  return options;
}

/**
 * Generates a workflow's manifests for a command, printing warnings and needed Secrets to
 * stderr; on failure prints every problem and returns the exit code instead.
 *
 * @param command The command name for messages.
 * @param dir The workflow directory.
 * @param options Engine image and namespace.
 * @param io Output streams.
 * @returns The manifests, or an exit code (1) when they cannot be made.
 */
export async function buildManifests(
  command: string,
  dir: string,
  options: ManifestOptions,
  io: CommandIO,
): Promise<Manifests | number> {
  let manifests: Manifests;
  try {
    manifests = await manifestsFromDir(dir, options);
  } catch (err) {
    if (err instanceof ManifestError) {
      for (const problem of err.problems) io.err(`tntc ${command}: ${problem}`);
      return 1;
    }
    // Not a valid workflow: the same report as `tntc validate` (every problem, line:column).
    return reportInvalid(command, err, false, io);
  }
  for (const warning of manifests.warnings) io.err(`warning: ${warning}`);
  for (const { secret, keys } of manifests.secrets) {
    io.err(
      `note: the pod mounts Secret "${secret}" (keys: ${keys.join(", ")}); create it first: ` +
        `kubectl -n ${manifests.namespace} create secret generic ${secret} ` +
        keys.map((k) => `--from-literal=${k}=...`).join(" "),
    );
  }
  return manifests;
}
