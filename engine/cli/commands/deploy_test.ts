// `tntc deploy` as a real process: with a PATH lacking kubectl, and with a fake `kubectl`
// script on PATH that records its arguments and standard input (no cluster is reachable here).
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { apiProblems } from "../../k8s/_api_rules.ts";
import type { KubernetesObject } from "../../k8s/manifests.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const PLAIN = new URL("../../k8s/testdata/plain", import.meta.url).pathname;

const FAKE_KUBECTL = `#!/bin/sh
echo "$*" >> "$FAKE_DIR/args.log"
if [ "$1 $2" = "config current-context" ]; then
  if [ -n "$FAKE_CONTEXT" ]; then echo "$FAKE_CONTEXT"; exit 0; fi
  echo "error: current-context is not set" >&2; exit 1
fi
if [ "$1 $2" = "config get-contexts" ]; then
  if [ "$3" = "$FAKE_CONTEXT" ]; then echo "$3"; exit 0; fi
  echo "error: context $3 not found" >&2; exit 1
fi
if [ "$1" = "apply" ]; then
  /bin/cat > "$FAKE_DIR/stdin.yaml"
  if [ -n "$FAKE_APPLY_FAIL" ]; then echo "$FAKE_APPLY_FAIL" >&2; exit 1; fi
  echo "deployment.apps/plain created"; exit 0
fi
echo "unexpected kubectl $*" >&2; exit 9
`;

interface Run {
  code: number;
  out: string;
  err: string;
  calls: string[];
  stdin: string | undefined;
}

async function deploy(
  args: string[],
  env: Record<string, string>,
  withKubectl: boolean,
): Promise<Run> {
  const dir = await Deno.makeTempDir({ prefix: "tntc-deploy-" });
  try {
    const bin = `${dir}/bin`;
    await Deno.mkdir(bin);
    if (withKubectl) {
      await Deno.writeTextFile(`${bin}/kubectl`, FAKE_KUBECTL);
      await Deno.chmod(`${bin}/kubectl`, 0o755);
    }
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "deploy", ...args],
      env: { ...env, PATH: bin, FAKE_DIR: dir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const read = (f: string) => Deno.readTextFile(`${dir}/${f}`).catch(() => undefined);
    const decode = (b: Uint8Array) => new TextDecoder().decode(b).trimEnd();
    return {
      code,
      out: decode(stdout),
      // Drop the validators' Node deprecation notice, which is not ours.
      err: decode(stderr).split("\n").filter((l) => !l.includes("DeprecationWarning")).join("\n"),
      calls: ((await read("args.log")) ?? "").split("\n").filter((l) => l !== ""),
      stdin: await read("stdin.yaml"),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("tntc deploy with no kubectl on PATH says so, suggests --dry-run and exits 1", async () => {
  const r = await deploy([PLAIN], {}, false);
  equal(r.code, 1);
  equal(r.out, "");
  equal(
    r.err,
    "tntc deploy: kubectl not found on PATH; install kubectl " +
      "(https://kubernetes.io/docs/tasks/tools/) or use --dry-run to print the manifests",
  );
});

Deno.test("tntc deploy with no current context says so, applies nothing and exits 1", async () => {
  const r = await deploy([PLAIN], {}, true);
  equal(r.code, 1);
  deepStrictEqual(r.calls, ["config current-context"]);
  equal(r.stdin, undefined);
  equal(
    r.err,
    "tntc deploy: no Kubernetes context is configured (kubectl: error: current-context is not " +
      "set); select one with `kubectl config use-context NAME`, pass --context NAME, or use --dry-run",
  );
});

Deno.test("tntc deploy applies the manifests with kubectl in the current context", async () => {
  const r = await deploy([PLAIN], { FAKE_CONTEXT: "kind-dev" }, true);
  equal(r.code, 0, r.err);
  deepStrictEqual(r.calls, ["config current-context", "apply --context kind-dev -f -"]);
  const objects = parseAllDocuments(r.stdin!).map((d) => d.toJS()) as KubernetesObject[];
  deepStrictEqual(objects.map((o) => o.kind), [
    "Namespace",
    "ConfigMap",
    "Service",
    "NetworkPolicy",
    "Deployment",
  ]);
  deepStrictEqual(apiProblems(objects), []);
  equal(
    r.out,
    'deployment.apps/plain created\ndeployed workflow "plain" to namespace pd-plain (context kind-dev)',
  );
});

Deno.test("tntc deploy --context checks the context exists before applying in it", async () => {
  const good = await deploy([PLAIN, "--context", "prod"], { FAKE_CONTEXT: "prod" }, true);
  equal(good.code, 0, good.err);
  deepStrictEqual(good.calls, ["config get-contexts prod -o name", "apply --context prod -f -"]);
  const bad = await deploy([PLAIN, "--context", "nope"], { FAKE_CONTEXT: "prod" }, true);
  equal(bad.code, 1);
  deepStrictEqual(bad.calls, ["config get-contexts nope -o name"]);
  ok(bad.err.startsWith('tntc deploy: context "nope" is not in your kubeconfig'), bad.err);
});

Deno.test("tntc deploy passes kubectl's error through when apply fails, exit 1", async () => {
  const r = await deploy(
    [PLAIN],
    { FAKE_CONTEXT: "kind-dev", FAKE_APPLY_FAIL: "error: forbidden" },
    true,
  );
  equal(r.code, 1);
  equal(
    r.err,
    'tntc deploy: kubectl apply failed (exit 1) in context "kind-dev":\nerror: forbidden',
  );
});

Deno.test("tntc deploy --dry-run prints the manifests without kubectl and applies nothing", async () => {
  const r = await deploy([PLAIN, "--dry-run", "--namespace", "team-a"], {}, false);
  equal(r.code, 0, r.err);
  const objects = parseAllDocuments(r.out).map((d) => d.toJS()) as KubernetesObject[];
  deepStrictEqual(objects.map((o) => o.metadata?.namespace), [
    "team-a",
    "team-a",
    "team-a",
    "team-a",
  ]);
  deepStrictEqual(apiProblems(objects), []);
  equal(r.err, "dry run: nothing applied (4 objects)");
});
