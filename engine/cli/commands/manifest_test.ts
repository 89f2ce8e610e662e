import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { parseAllDocuments } from "yaml";
import { apiProblems } from "../../k8s/_api_rules.ts";
import type { KubernetesObject } from "../../k8s/manifests.ts";
import { tntc } from "../_test_io.ts";

const testdata = (name: string) => new URL(`../../k8s/testdata/${name}`, import.meta.url).pathname;

Deno.test("tntc manifest prints schema-valid YAML documents and warns on stderr", async () => {
  const r = await tntc("manifest", testdata("seed-complete"));
  equal(r.code, 0);
  const objects = parseAllDocuments(r.out).map((d) => d.toJS()) as KubernetesObject[];
  deepStrictEqual(objects.map((o) => o.kind), [
    "Namespace",
    "ConfigMap",
    "Service",
    "NetworkPolicy",
    "Deployment",
  ]);
  deepStrictEqual(apiProblems(objects), []);
  deepStrictEqual(r.err.split("\n"), [
    'warning: sidecar "ffmpeg": image "ghcr.io/randybias/tentacular-ffmpeg-sidecar:v1.0.0" is ' +
    "not pinned by digest; pin it in production " +
    "(e.g. ghcr.io/randybias/tentacular-ffmpeg-sidecar@sha256:<digest>)",
    'note: the pod mounts Secret "openai" (keys: token); create it first: ' +
    "kubectl -n pd-video-frame-extractor create secret generic openai --from-literal=token=...",
  ]);
});

Deno.test("tntc manifest -o json prints one v1 List with the same objects", async () => {
  const yaml = await tntc("manifest", testdata("plain"), "--namespace", "team-a");
  const json = await tntc("manifest", testdata("plain"), "--namespace", "team-a", "-o", "json");
  equal(json.code, 0);
  const list = JSON.parse(json.out);
  equal(list.kind, "List");
  deepStrictEqual(list.items, parseAllDocuments(yaml.out).map((d) => d.toJS()));
  equal(json.err, "");
});

Deno.test("tntc manifest --engine-image sets the engine container's image", async () => {
  const r = await tntc(
    "manifest",
    testdata("plain"),
    "--engine-image",
    "reg.local/engine:dev",
    "-o",
    "json",
  );
  const deployment = JSON.parse(r.out).items.at(-1);
  equal(deployment.spec.template.spec.containers[0].image, "reg.local/engine:dev");
});

Deno.test("tntc manifest rejects an unknown output format and an unknown flag with usage, exit 2", async () => {
  const bad = await tntc("manifest", testdata("plain"), "-o", "xml");
  equal(bad.code, 2);
  ok(bad.err.startsWith('tntc manifest: -o must be yaml or json, got "xml"'));
  const flag = await tntc("manifest", testdata("plain"), "--replicas", "3");
  equal(flag.code, 2);
  ok(flag.err.includes("--replicas"), flag.err);
  equal(bad.out + flag.out, "");
});

Deno.test("tntc manifest reports every Kubernetes problem and prints nothing on stdout", async () => {
  const r = await tntc(
    "manifest",
    testdata("plain"),
    "--namespace",
    "Team_A",
    "--engine-image",
    " ",
  );
  equal(r.code, 1);
  equal(r.out, "");
  deepStrictEqual(r.err.split("\n"), [
    "tntc manifest: engine image is empty",
    'tntc manifest: namespace "Team_A" is not a valid namespace name: use lowercase letters, ' +
    'digits and "-", starting and ending with a letter or digit, at most 63 characters',
  ]);
});

Deno.test("tntc manifest on an invalid workflow prints the validate report with line:column", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/workflow.yaml`,
      'name: x\nversion: "1"\nnodes:\n  a:\n    path: ./a.ts\n',
    );
    const r = await tntc("manifest", dir);
    equal(r.code, 1);
    equal(r.out, "");
    equal(r.err, 'workflow.yaml:5:11: node "a": file "./a.ts" does not exist');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
