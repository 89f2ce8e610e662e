// The generated pod for the Sidecar Specification's complete example, held field by field
// against the pod spec the specification prints ("Generated Kubernetes Resources").
import { deepStrictEqual, equal } from "node:assert/strict";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { parse } from "yaml";
import { engineCommand } from "../server/engine_command.ts";
import { loadWorkflow } from "../spec/load.ts";
import { apiProblems } from "./_api_rules.ts";
import { manifestsFromDir } from "./from_dir.ts";

// The specification's YAML with its line breaks restored; nothing added, nothing left out
// (its comments included). "# ... (standard engine spec)" marks what it does not print.
const SEED_POD_SPEC = `
spec:
  runtimeClassName: gvisor
  securityContext:
    runAsNonRoot: true
    runAsUser: 65534
    seccompProfile:
      type: RuntimeDefault
  initContainers: [] # none (sidecars are regular containers, not init containers)
  containers:
    - name: engine
      image: ghcr.io/randybias/tentacular-engine:v0.7.0
      args:
        - --allow-net=api.openai.com:443,localhost:9000,0.0.0.0:8080
        - --allow-read=/app,/var/run/secrets,/shared
        - --allow-write=/tmp,/shared
      # ... (standard engine spec)
      volumeMounts:
        - name: shared
          mountPath: /shared
        - name: engine-tmp
          mountPath: /tmp
    - name: ffmpeg # matches sidecar.name
      image: ghcr.io/randybias/tentacular-ffmpeg-sidecar:v1.0.0
      securityContext:
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
      resources:
        requests:
          cpu: 500m
          memory: 256Mi
        limits:
          cpu: 1000m
          memory: 512Mi
      readinessProbe:
        httpGet:
          path: /health
          port: 9000
        initialDelaySeconds: 2
        periodSeconds: 5
      volumeMounts:
        - name: shared
          mountPath: /shared
        - name: ffmpeg-tmp # per-sidecar /tmp (automatic)
          mountPath: /tmp
  volumes:
    - name: shared
      emptyDir:
        sizeLimit: 1Gi
    - name: engine-tmp
      emptyDir:
        sizeLimit: 512Mi
    - name: ffmpeg-tmp # one per sidecar (automatic)
      emptyDir:
        sizeLimit: 256Mi
`;

// deno-lint-ignore no-explicit-any
type Any = any;
const seed: Any = parse(SEED_POD_SPEC).spec;
const dir = new URL("./testdata/seed-complete", import.meta.url).pathname;

async function generated() {
  const manifests = await manifestsFromDir(dir);
  const deployment = manifests.objects.find((o) => o.kind === "Deployment") as IDeployment;
  return { manifests, pod: deployment.spec!.template.spec as Any };
}

Deno.test("the seed's complete example yields objects the Kubernetes schemas accept", async () => {
  const { manifests } = await generated();
  deepStrictEqual(apiProblems(manifests.objects), []);
});

Deno.test("the pod-level fields match the specification: gVisor, security context, no init containers", async () => {
  const { pod } = await generated();
  equal(pod.runtimeClassName, seed.runtimeClassName);
  deepStrictEqual(pod.securityContext, seed.securityContext);
  // `initContainers: [] # none`: the generated pod has none.
  deepStrictEqual(pod.initContainers ?? [], seed.initContainers);
  equal(pod.automountServiceAccountToken, false);
  deepStrictEqual(pod.containers.map((c: Any) => c.name), ["engine", "ffmpeg"]);
});

Deno.test("the engine container has the printed image, args and mounts, then the standard engine spec", async () => {
  const { pod } = await generated();
  const [engine, seedEngine] = [pod.containers[0], seed.containers[0]];
  equal(engine.name, seedEngine.name);
  equal(engine.image, seedEngine.image);
  deepStrictEqual(engine.args.slice(0, 3), seedEngine.args);
  // The elided rest: exactly the engine's own command line (engineCommand), nothing else.
  const { workflow } = await loadWorkflow(dir);
  deepStrictEqual([...engine.command, ...engine.args].sort(), [...engineCommand(workflow)].sort());
  deepStrictEqual(engine.volumeMounts.slice(0, 2), seedEngine.volumeMounts);
  deepStrictEqual(engine.volumeMounts.slice(2), [
    { name: "workflow", mountPath: "/app", readOnly: true },
    { name: "openai-secret", mountPath: "/var/run/secrets/openai", readOnly: true },
  ]);
  // "The sidecar SecurityContext matches the engine's container-level restrictions".
  deepStrictEqual(engine.securityContext, seed.containers[1].securityContext);
  deepStrictEqual(engine.livenessProbe.httpGet, { path: "/health", port: 8080 });
  deepStrictEqual(engine.readinessProbe.httpGet, { path: "/ready", port: 8080 });
});

Deno.test("the ffmpeg sidecar container matches the specification field by field", async () => {
  const { pod } = await generated();
  const [sidecar, seedSidecar] = [pod.containers[1], seed.containers[1]];
  for (const field of Object.keys(seedSidecar)) {
    deepStrictEqual(sidecar[field], seedSidecar[field], `field ${field}`);
  }
  // Beyond the printed fields: the declared env (LOG_LEVEL: info) and the sidecar's port.
  deepStrictEqual(
    Object.keys(sidecar).filter((k) => !(k in seedSidecar)).sort(),
    ["env", "ports"],
  );
  deepStrictEqual(sidecar.env, [{ name: "LOG_LEVEL", value: "info" }]);
  deepStrictEqual(sidecar.ports, [{ containerPort: 9000, protocol: "TCP" }]);
});

Deno.test("the volumes are the printed ones with their size limits, then code and secret", async () => {
  const { pod } = await generated();
  deepStrictEqual(pod.volumes.slice(0, 3), seed.volumes);
  deepStrictEqual(pod.volumes.slice(3).map((v: Any) => v.name), ["workflow", "openai-secret"]);
  deepStrictEqual(pod.volumes[4].secret, {
    secretName: "openai",
    items: [{ key: "token", path: "token" }],
  });
});
