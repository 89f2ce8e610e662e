// Test support: checks generated objects the way the API server would — against the
// Kubernetes OpenAPI schemas (kubernetes-models) and the validation rules those schemas cannot
// express (name formats, references between fields). Used by tests only.
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IService } from "kubernetes-models/v1/Service";
import type { KubernetesObject } from "./manifests.ts";
import { isDns1035Label, isDnsLabel } from "./names.ts";

type Typed = INamespace | IConfigMap | IService | INetworkPolicy | IDeployment;

const MODELS = { Namespace, ConfigMap, Service, NetworkPolicy, Deployment } as const;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Every reason the API server would reject these objects, as `Kind/name: problem` lines.
 *
 * @param objects Generated objects.
 * @returns Problems (empty when all are valid).
 */
export function apiProblems(objects: readonly KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects as readonly Typed[]) {
    const at = `${object.kind}/${object.metadata?.name}`;
    const report = (p: string) => problems.push(`${at}: ${p}`);
    const Model = MODELS[object.kind as keyof typeof MODELS];
    if (!Model) {
      report("unexpected kind");
      continue;
    }
    try {
      // deno-lint-ignore no-explicit-any
      new Model(object as any).validate();
    } catch (err) {
      report(`schema: ${(err as Error).message}`);
    }
    checkMeta(object, report);
    if (object.kind === "Service" && !isDns1035Label(object.metadata?.name ?? "")) {
      report("a Service name must be a DNS-1035 label");
    }
    if (object.kind === "ConfigMap") {
      for (const key of Object.keys(object.data ?? {})) {
        if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.startsWith("..") || key.length > 253) {
          report(`invalid ConfigMap key "${key}"`);
        }
      }
    }
    if (object.kind === "Deployment") {
      const spec = object.spec!;
      for (const [k, v] of Object.entries(spec.selector.matchLabels ?? {})) {
        if (spec.template.metadata?.labels?.[k] !== v) report(`selector ${k}=${v} not on pod`);
      }
      checkPod(spec.template.spec!, report);
    }
  }
  return problems;
}

function checkMeta(object: Typed, report: (p: string) => void): void {
  const name = object.metadata?.name ?? "";
  const nameOk = object.kind === "Namespace" ? isDnsLabel(name) : SUBDOMAIN.test(name);
  if (!nameOk || name.length > 253) report(`invalid name "${name}"`);
  if (object.kind !== "Namespace" && !isDnsLabel(object.metadata?.namespace ?? "")) {
    report(`invalid namespace "${object.metadata?.namespace}"`);
  }
  const pod = object.kind === "Deployment" ? object.spec?.template.metadata?.labels : {};
  const labels = [...Object.entries(object.metadata?.labels ?? {}), ...Object.entries(pod ?? {})];
  for (const [key, value] of labels) {
    const [prefix, label] = key.includes("/") ? key.split("/") as [string, string] : ["", key];
    if ((prefix && !SUBDOMAIN.test(prefix)) || label.length > 63 || !LABEL_NAME.test(label)) {
      report(`invalid label key "${key}"`);
    }
    if (value.length > 63 || !LABEL_VALUE.test(value)) report(`invalid label value "${value}"`);
  }
}

function checkPod(pod: IPodSpec, report: (p: string) => void): void {
  const volumes = new Set<string>();
  for (const v of pod.volumes ?? []) {
    if (!isDnsLabel(v.name)) report(`invalid volume name "${v.name}"`);
    if (volumes.has(v.name)) report(`duplicate volume "${v.name}"`);
    volumes.add(v.name);
  }
  const containers = new Set<string>();
  const ports = new Set<number>();
  for (const c of pod.containers) {
    if (!isDnsLabel(c.name)) report(`invalid container name "${c.name}"`);
    if (containers.has(c.name)) report(`duplicate container "${c.name}"`);
    containers.add(c.name);
    const own = new Map((c.ports ?? []).map((p) => [p.name ?? "", p.containerPort]));
    for (const p of c.ports ?? []) {
      if (ports.has(p.containerPort)) report(`port ${p.containerPort} used twice in the pod`);
      ports.add(p.containerPort);
      if (p.name !== undefined && (p.name.length > 15 || !isDnsLabel(p.name))) {
        report(`invalid port name "${p.name}"`);
      }
    }
    for (const probe of [c.readinessProbe, c.livenessProbe]) {
      const port = probe?.httpGet?.port ?? probe?.grpc?.port;
      if (probe && port === undefined) report(`${c.name}: probe without a port`);
      const resolved = typeof port === "string" ? own.get(port) : port;
      if (probe && ![...own.values()].includes(resolved as number)) {
        report(`${c.name}: probe port ${port} is not a port of the container`);
      }
    }
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) report(`${c.name}: mount of unknown volume "${m.name}"`);
      if (paths.has(m.mountPath)) report(`${c.name}: two mounts at ${m.mountPath}`);
      paths.add(m.mountPath);
    }
    for (const e of c.env ?? []) {
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) report(`invalid env name "${e.name}"`);
      if (typeof e.value !== "string") report(`env ${e.name}: value is not a string`);
    }
  }
}
