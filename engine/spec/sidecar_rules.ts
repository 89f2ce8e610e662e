import type { SpecIssueDraft } from "./_draft.ts";
import { SIDECAR_NAME } from "./schema.ts";

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks `sidecars:` with the rules and exact messages of the Sidecar Specification, plus the
 * rules that would otherwise fail only at deploy time (reserved and Kubernetes-invalid names,
 * `healthPath`, `env` value types).
 *
 * @param sidecars The raw `sidecars` value from the YAML document.
 * @returns One draft issue per problem, in document order.
 */
export function checkSidecars(sidecars: unknown): SpecIssueDraft[] {
  if (!Array.isArray(sidecars)) return [];
  const issues: SpecIssueDraft[] = [];
  const names = new Set<string>();
  const ports = new Set<number>();
  sidecars.forEach((raw, i) => {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return;
    const s = raw as Record<string, unknown>;
    const at = (field: string) => ["sidecars", i, field];
    const label = typeof s.name === "string" ? s.name : `#${i}`;
    if (s.name === undefined) {
      issues.push({ path: at("name"), message: `sidecars[${i}]: name is required` });
    } else if (typeof s.name !== "string" || !SIDECAR_NAME.test(s.name)) {
      issues.push({
        path: at("name"),
        message: `sidecar name "${String(s.name)}" is invalid: must match [a-z][a-z0-9_-]*`,
      });
    } else {
      issues.push(...checkKubernetesName(s.name, at("name")));
      if (names.has(s.name)) {
        issues.push({ path: at("name"), message: `duplicate sidecar name: "${s.name}"` });
      }
      names.add(s.name);
    }
    if (s.image === undefined || s.image === null || s.image === "") {
      issues.push({ path: at("image"), message: `sidecar "${label}": image is required` });
    }
    issues.push(...checkPort(label, s.port, at("port"), ports));
    if (s.protocol !== undefined && s.protocol !== "http" && s.protocol !== "grpc") {
      issues.push({
        path: at("protocol"),
        message: `sidecar "${label}": invalid protocol "${
          String(s.protocol)
        }" (must be "http" or "grpc")`,
      });
    }
    if (
      s.healthPath !== undefined &&
      (typeof s.healthPath !== "string" || !s.healthPath.startsWith("/"))
    ) {
      issues.push({
        path: at("healthPath"),
        message: `sidecar "${label}": healthPath "${
          String(s.healthPath)
        }" must start with "/" (e.g. "/health")`,
      });
    }
    issues.push(...checkEnv(label, s.env, i));
  });
  return issues;
}

function checkKubernetesName(name: string, path: (string | number)[]): SpecIssueDraft[] {
  if (name === "engine") {
    return [{ path, message: 'sidecar name "engine" is reserved for the engine container' }];
  }
  if (name.length > 63) {
    return [{
      path,
      message:
        `sidecar name "${name}" is ${name.length} characters; Kubernetes container names allow at most 63`,
    }];
  }
  if (!K8S_NAME.test(name)) {
    const hint = name.includes("_")
      ? `"_" is not allowed (use "-": "${name.replaceAll("_", "-")}")`
      : "it must end with a letter or digit";
    return [{
      path,
      message: `sidecar name "${name}" is not a valid Kubernetes container name: ${hint}`,
    }];
  }
  return [];
}

function checkPort(
  label: string,
  port: unknown,
  path: (string | number)[],
  seen: Set<number>,
): SpecIssueDraft[] {
  if (port === undefined) return [{ path, message: `sidecar "${label}": port is required` }];
  if (typeof port !== "number" || !Number.isInteger(port)) {
    const shown = typeof port === "string" ? `"${port}"` : String(port);
    return [{
      path,
      message: `sidecar "${label}": port must be an integer (1024-65535), got ${shown}`,
    }];
  }
  const issues: SpecIssueDraft[] = [];
  if (port < 1024 || port > 65535) {
    issues.push({ path, message: `sidecar "${label}": port ${port} is out of range (1024-65535)` });
  } else if (port === 8080) {
    issues.push({ path, message: `sidecar "${label}": port 8080 is reserved for the engine` });
  }
  if (seen.has(port)) issues.push({ path, message: `duplicate sidecar port: ${port}` });
  seen.add(port);
  return issues;
}

function checkEnv(label: string, env: unknown, index: number): SpecIssueDraft[] {
  if (env === undefined || env === null || typeof env !== "object" || Array.isArray(env)) return [];
  const issues: SpecIssueDraft[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === "string") continue;
    const quoted = JSON.stringify(value === null ? "" : String(value));
    issues.push({
      path: ["sidecars", index, "env", key],
      message: `sidecar "${label}": env ${key} must be a string, got ${
        value === null ? "null" : typeof value
      }; quote it: ${key}: ${quoted}`,
    });
  }
  return issues;
}
