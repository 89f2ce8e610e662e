// The checker used by the manifest tests must itself be able to fail.
import { deepStrictEqual, ok } from "node:assert/strict";
import { apiProblems } from "./_api_rules.ts";
import { manifestsFromDir } from "./from_dir.ts";
import type { KubernetesObject } from "./manifests.ts";

const dir = new URL("./testdata/seed-complete", import.meta.url).pathname;

async function broken(edit: (o: KubernetesObject[]) => void): Promise<string[]> {
  const { objects } = await manifestsFromDir(dir);
  const copy = structuredClone(objects);
  edit(copy);
  return apiProblems(copy);
}

// deno-lint-ignore no-explicit-any
const pod = (o: KubernetesObject[]): any => (o.at(-1) as any).spec.template.spec;

Deno.test("apiProblems() rejects a schema violation (a port given as text)", async () => {
  const problems = await broken((o) => pod(o).containers[1].ports[0].containerPort = "9000");
  ok(
    problems.some((p) => p.includes("schema:") && p.includes("containerPort must be integer")),
    problems.join(),
  );
});

Deno.test("apiProblems() rejects a ConfigMap value that is not a string", async () => {
  // deno-lint-ignore no-explicit-any
  const problems = await broken((o) => (o[1] as any).data["workflow.yaml"] = 1);
  ok(
    problems.some((p) => p.startsWith("ConfigMap/") && p.includes("must be string")),
    problems.join(),
  );
});

Deno.test("apiProblems() rejects names, mounts and probes the API server would refuse", async () => {
  const problems = await broken((o) => {
    pod(o).containers[1].name = "FFmpeg";
    pod(o).containers[1].volumeMounts[1].name = "missing";
    pod(o).containers[1].readinessProbe.httpGet.port = 9999;
    pod(o).volumes[2].name = "x".repeat(64);
  });
  deepStrictEqual(problems.sort(), [
    `Deployment/video-frame-extractor: FFmpeg: mount of unknown volume "missing"`,
    "Deployment/video-frame-extractor: FFmpeg: probe port 9999 is not a port of the container",
    `Deployment/video-frame-extractor: invalid container name "FFmpeg"`,
    `Deployment/video-frame-extractor: invalid volume name "${"x".repeat(64)}"`,
  ]);
});

Deno.test("apiProblems() rejects a bad label and a selector the pod does not carry", async () => {
  const problems = await broken((o) => {
    // deno-lint-ignore no-explicit-any
    const d = o.at(-1) as any;
    d.metadata.labels["app.kubernetes.io/version"] = "1.0 beta";
    d.spec.selector.matchLabels.extra = "x";
  });
  ok(problems.includes('Deployment/video-frame-extractor: invalid label value "1.0 beta"'));
  ok(problems.includes("Deployment/video-frame-extractor: selector extra=x not on pod"));
});
