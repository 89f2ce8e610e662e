import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import { validateWorkflow } from "../spec/validate.ts";
import { apiProblems } from "./_api_rules.ts";
import { ManifestError } from "./errors.ts";
import { manifestsFromDir } from "./from_dir.ts";
import { generateManifests, type Manifests } from "./manifests.ts";

const testdata = (name: string) => new URL(`./testdata/${name}`, import.meta.url).pathname;
const find = <T>(m: Manifests, kind: string) => m.objects.find((o) => o.kind === kind) as T;
const podOf = (m: Manifests) => find<IDeployment>(m, "Deployment").spec!.template.spec!;

for (const name of ["plain", "seed-complete", "multi-sidecar", "long-names"]) {
  Deno.test(`every object generated for testdata/${name} passes the Kubernetes schemas and API rules`, async () => {
    const m = await manifestsFromDir(testdata(name));
    deepStrictEqual(m.objects.map((o) => o.kind), [
      "Namespace",
      "ConfigMap",
      "Service",
      "NetworkPolicy",
      "Deployment",
    ]);
    deepStrictEqual(apiProblems(m.objects), []);
  });
}

Deno.test("a workflow without sidecars gets one container, no shared volume and no /shared flags", async () => {
  const m = await manifestsFromDir(testdata("plain"));
  const pod = podOf(m);
  deepStrictEqual(pod.containers.map((c) => c.name), ["engine"]);
  deepStrictEqual(pod.volumes?.map((v) => v.name), ["engine-tmp", "workflow"]);
  const engine = pod.containers[0]!;
  deepStrictEqual(engine.volumeMounts?.map((v) => v.mountPath), ["/tmp", "/app"]);
  deepStrictEqual(engine.args?.slice(0, 3), [
    "--allow-net=0.0.0.0:8080",
    "--allow-read=/app,/var/run/secrets",
    "--allow-write=/tmp",
  ]);
  const annotations = find<IDeployment>(m, "Deployment").spec!.template.metadata!.annotations!;
  equal(annotations["tentacular.dev/sidecars"], undefined);
  deepStrictEqual(m.warnings, []);
  deepStrictEqual(m.secrets, []);
});

Deno.test("several sidecars each get a container, a /tmp volume and a pod label, in declared order", async () => {
  const m = await manifestsFromDir(testdata("multi-sidecar"));
  const pod = podOf(m);
  deepStrictEqual(pod.containers.map((c) => c.name), ["engine", "ffmpeg", "whisper", "pandoc"]);
  deepStrictEqual(pod.volumes?.map((v) => [v.name, v.emptyDir?.sizeLimit]).slice(0, 5), [
    ["shared", "1Gi"],
    ["engine-tmp", "512Mi"],
    ["ffmpeg-tmp", "256Mi"],
    ["whisper-tmp", "256Mi"],
    ["pandoc-tmp", "256Mi"],
  ]);
  for (const c of pod.containers.slice(1)) {
    deepStrictEqual(c.volumeMounts, [
      { name: "shared", mountPath: "/shared" },
      { name: `${c.name}-tmp`, mountPath: "/tmp" },
    ]);
    deepStrictEqual(c.securityContext, pod.containers[0]!.securityContext);
  }
  const labels = find<IDeployment>(m, "Deployment").spec!.template.metadata!;
  equal(labels.labels!["sidecar.tentacular.dev/whisper"], "true");
  equal(labels.annotations!["tentacular.dev/sidecars"], "ffmpeg,whisper,pandoc");
  ok(
    pod.containers[0]!.args![0]!.endsWith(
      "localhost:9000,localhost:50051,localhost:9100,0.0.0.0:8080",
    ),
  );
});

Deno.test("a gRPC sidecar gets a gRPC readiness probe and an HTTP one gets httpGet on healthPath", async () => {
  const pod = podOf(await manifestsFromDir(testdata("multi-sidecar")));
  const probe = (name: string) => pod.containers.find((c) => c.name === name)!.readinessProbe;
  deepStrictEqual(probe("whisper"), {
    grpc: { port: 50051 },
    initialDelaySeconds: 2,
    periodSeconds: 5,
  });
  deepStrictEqual(probe("pandoc"), {
    httpGet: { path: "/healthz", port: 9100 },
    initialDelaySeconds: 2,
    periodSeconds: 5,
  });
  deepStrictEqual(probe("ffmpeg")?.httpGet, { path: "/health", port: 9000 });
});

Deno.test("sidecar resources are copied as declared (quantities as strings), absent ones left out", async () => {
  const pod = podOf(await manifestsFromDir(testdata("multi-sidecar")));
  const container = (name: string) => pod.containers.find((c) => c.name === name)!;
  deepStrictEqual(container("whisper").resources, {
    requests: { cpu: "2", memory: "2Gi" },
    limits: { cpu: "4", memory: "4Gi" },
  });
  deepStrictEqual(container("ffmpeg").resources, { limits: { memory: "1Gi" } });
  equal("resources" in container("pandoc"), false);
  deepStrictEqual(pod.containers[0]!.resources, {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1", memory: "512Mi" },
  });
});

Deno.test("sidecar env is sorted by name with every value a string, and command/args are kept", async () => {
  const pod = podOf(await manifestsFromDir(testdata("multi-sidecar")));
  const ffmpeg = pod.containers.find((c) => c.name === "ffmpeg")!;
  deepStrictEqual(ffmpeg.env, [
    { name: "ALPHA", value: "yes" },
    { name: "COLON", value: "a: b" },
    { name: "EMPTY", value: "" },
    { name: "NEWOCT", value: "0o17" },
    { name: "NULLISH", value: "null" },
    { name: "NUMBER", value: "1e3" },
    { name: "OCTAL", value: "0777" },
    { name: "ON", value: "on" },
    { name: "ZETA", value: "last" },
  ]);
  const whisper = pod.containers.find((c) => c.name === "whisper")!;
  deepStrictEqual(whisper.command, ["/usr/bin/whisper-server"]);
  deepStrictEqual(whisper.args, ["--listen", "0.0.0.0:50051", "--model", "/tmp/model.bin"]);
  equal("env" in whisper, false);
});

Deno.test("images not pinned by digest produce warnings naming the sidecar; pinned ones do not", async () => {
  const m = await manifestsFromDir(testdata("multi-sidecar"));
  deepStrictEqual(m.warnings, [
    'sidecar "whisper": image "ghcr.io/example/whisper-grpc:v2" is not pinned by digest; ' +
    "pin it in production (e.g. ghcr.io/example/whisper-grpc@sha256:<digest>)",
    'sidecar "pandoc": image "pandoc/core:3.1" is not pinned by digest; ' +
    "pin it in production (e.g. pandoc/core@sha256:<digest>)",
  ]);
});

Deno.test("63-character names stay valid: namespace, volumes and secrets are shortened deterministically", async () => {
  const m = await manifestsFromDir(testdata("long-names"));
  const pod = podOf(m);
  equal(m.namespace.length, 63);
  ok(m.namespace.startsWith("pd-workflow-with-a-name"));
  const names = pod.volumes!.map((v) => v.name);
  for (const name of names) ok(name.length <= 63, name);
  const tmp = names.filter((n) => n.endsWith("-tmp") && n !== "engine-tmp");
  equal(tmp.length, 2);
  equal(new Set(tmp).size, 2);
  ok(names.some((n) => n.endsWith("-secret") && n.startsWith("secret-with-a-long-name")));
  // Each sidecar mounts its own, differently shortened, /tmp.
  deepStrictEqual(pod.containers.slice(1).map((c) => c.volumeMounts![1]!.name), tmp);
  equal(pod.containers[1]!.name.length, 63);
  deepStrictEqual(m, await manifestsFromDir(testdata("long-names")));
});

Deno.test("the Service exposes 8080 by the engine's named port and selects the workflow pod", async () => {
  const m = await manifestsFromDir(testdata("seed-complete"));
  const service = find<IService>(m, "Service");
  deepStrictEqual(service.spec!.ports, [{
    name: "http",
    protocol: "TCP",
    port: 8080,
    targetPort: "http",
  }]);
  const engine = podOf(m).containers[0]!;
  deepStrictEqual(engine.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
  const podLabels = find<IDeployment>(m, "Deployment").spec!.template.metadata!.labels!;
  for (const [k, v] of Object.entries(service.spec!.selector!)) equal(podLabels[k], v);
});

Deno.test("the NetworkPolicy allows ingress to 8080 and egress only to DNS and dependency ports", async () => {
  const policy = find<INetworkPolicy>(
    await manifestsFromDir(testdata("multi-sidecar")),
    "NetworkPolicy",
  );
  deepStrictEqual(policy.spec!.policyTypes, ["Ingress", "Egress"]);
  deepStrictEqual(policy.spec!.ingress, [{ ports: [{ protocol: "TCP", port: 8080 }] }]);
  const [dns, deps, ...rest] = policy.spec!.egress!;
  deepStrictEqual(rest, []);
  deepStrictEqual(dns!.ports, [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
  deepStrictEqual(dns!.to, [{
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
  }]);
  deepStrictEqual(deps, {
    ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 5432 }],
  });
  equal(
    policy.metadata!.annotations!["tentacular.dev/egress"],
    "api.openai.com:443,db.example.internal:5432",
  );
  const plain = find<INetworkPolicy>(await manifestsFromDir(testdata("plain")), "NetworkPolicy");
  equal(plain.spec!.egress!.length, 1);
});

Deno.test("the ConfigMap carries workflow.yaml, node files and their local imports at their relative paths", async () => {
  const m = await manifestsFromDir(testdata("plain"));
  const cm = find<IConfigMap>(m, "ConfigMap");
  const volume = podOf(m).volumes!.find((v) => v.name === "workflow")!;
  equal(volume.configMap!.name, cm.metadata!.name);
  const mounted = Object.fromEntries(
    volume.configMap!.items!.map((i) => [i.path, cm.data![i.key]]),
  );
  deepStrictEqual(Object.keys(mounted).sort(), [
    "lib/words.json",
    "nodes/_format.ts",
    "nodes/greet.ts",
    "nodes/shout.ts",
    "workflow.yaml",
  ]);
  for (const [path, text] of Object.entries(mounted)) {
    equal(text, await Deno.readTextFile(`${testdata("plain")}/${path}`), path);
  }
});

Deno.test("secrets from dependencies and webhook triggers are mounted with only the keys used", async () => {
  const m = await manifestsFromDir(testdata("multi-sidecar"));
  deepStrictEqual(m.secrets, [
    { secret: "hooks", keys: ["upload-hmac"] },
    { secret: "openai", keys: ["token"] },
    { secret: "pg-creds", keys: ["password", "username"] },
  ]);
  const pod = podOf(m);
  const pg = pod.volumes!.find((v) => v.secret?.secretName === "pg-creds")!;
  deepStrictEqual(pg.secret!.items, [
    { key: "password", path: "password" },
    { key: "username", path: "username" },
  ]);
  ok(pod.containers[0]!.volumeMounts!.some((v) => v.mountPath === "/var/run/secrets/pg-creds"));
  for (const sidecar of pod.containers.slice(1)) {
    ok(!sidecar.volumeMounts!.some((v) => v.name.endsWith("-secret")), "sidecars get no secrets");
  }
});

Deno.test("--namespace targets an existing namespace and generates no Namespace object", async () => {
  const m = await manifestsFromDir(testdata("plain"), {
    namespace: "team-a",
    engineImage: "reg/e:2",
  });
  deepStrictEqual(m.objects.map((o) => o.kind), [
    "ConfigMap",
    "Service",
    "NetworkPolicy",
    "Deployment",
  ]);
  for (const o of m.objects) equal(o.metadata!.namespace, "team-a");
  equal(podOf(m).containers[0]!.image, "reg/e:2");
});

Deno.test("new node code changes the pod's code hash, so a deploy rolls the pods", () => {
  const text = 'name: demo\nversion: "1"\nnodes:\n  a:\n    path: ./a.ts\n';
  const wf = validateWorkflow(text);
  const hash = (code: string) => {
    const m = generateManifests(wf, [{ path: "workflow.yaml", text }, {
      path: "a.ts",
      text: code,
    }]);
    return find<IDeployment>(m, "Deployment").spec!.template.metadata!.annotations![
      "tentacular.dev/code-sha256"
    ];
  };
  equal(hash("export default () => 1;"), hash("export default () => 1;"));
  ok(hash("export default () => 1;") !== hash("export default () => 2;"));
});

Deno.test("everything Kubernetes would reject is reported at once in a ManifestError", () => {
  const text = [
    "name: 9lives",
    'version: "1"',
    "sidecars:",
    "  - name: tool",
    '    image: "bad image"',
    "    port: 9000",
    "    env:",
    '      "1BAD": x',
    "contract:",
    '  version: "1"',
    "  dependencies:",
    "    api:",
    "      protocol: https",
    "      host: api.example.com",
    "      auth:",
    "        type: bearer-token",
    "        secret: Open_AI.token",
    "nodes:",
    "  a:",
    "    path: ./a.ts",
    "",
  ].join("\n");
  const wf = validateWorkflow(text);
  throws(
    () => generateManifests(wf, [{ path: "workflow.yaml", text }], { namespace: "Bad_NS" }),
    (err: unknown) => {
      ok(err instanceof ManifestError);
      deepStrictEqual(err.problems, [
        'namespace "Bad_NS" is not a valid namespace name: use lowercase letters, digits and "-", ' +
        "starting and ending with a letter or digit, at most 63 characters",
        'secret "Open_AI" is not a valid Kubernetes Secret name: use lowercase letters, digits ' +
        'and "-", starting and ending with a letter or digit, at most 63 characters',
        'sidecar "tool": env name "1BAD" is not valid in Kubernetes ' +
        "(must match [-._a-zA-Z][-._a-zA-Z0-9]*)",
        'sidecar "tool": image "bad image" contains whitespace',
        'workflow name "9lives" must start with a letter to name its Kubernetes Service',
      ]);
      return true;
    },
  );
});

Deno.test("code larger than a ConfigMap holds is a ManifestError naming the largest file", () => {
  const text = 'name: big\nversion: "1"\nnodes:\n  a:\n    path: ./a.ts\n';
  const files = [{ path: "workflow.yaml", text }, { path: "a.ts", text: "x".repeat(1100 * 1024) }];
  throws(
    () => generateManifests(validateWorkflow(text), files),
    /largest files: a\.ts \(1126400 bytes\)/,
  );
});
