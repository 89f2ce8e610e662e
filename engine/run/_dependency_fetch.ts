import type { DependencyInfo, Secrets } from "./context.ts";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/**
 * The URL `path` names on a dependency, checked to stay on the dependency's origin.
 *
 * @throws {TypeError} When `path` is not a path (absolute URL, `//host`, no leading `/`).
 */
export function dependencyUrl(dep: DependencyInfo, path: string): URL {
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
    throw new TypeError(
      `ctx.fetch("${dep.name}", ${JSON.stringify(path)}): the path must start with "/" ` +
        `(a path on ${dep.url}, not a URL)`,
    );
  }
  if (dep.protocol !== "http" && dep.protocol !== "https") {
    throw new TypeError(
      `ctx.fetch("${dep.name}", ...): dependency "${dep.name}" uses ${dep.protocol}; ` +
        `ctx.fetch supports http and https dependencies (use ctx.dependency() for the rest)`,
    );
  }
  return new URL(path, dep.url);
}

/**
 * The auth header a dependency declares, with its secret value.
 *
 * @throws {ReferenceError} When the referenced secret or key is missing.
 */
export function authHeader(dep: DependencyInfo, secrets: Secrets): [string, string] | null {
  if (!dep.auth) return null;
  const dot = dep.auth.secret.indexOf(".");
  const name = dep.auth.secret.slice(0, dot);
  const key = dep.auth.secret.slice(dot + 1);
  const value = secrets[name]?.[key];
  if (value === undefined) {
    const why = secrets[name] ? `secret "${name}" has no key "${key}"` : `no secret "${name}"`;
    throw new ReferenceError(
      `dependency "${dep.name}" needs secret "${dep.auth.secret}" for ${dep.auth.type} auth, ` +
        `but ${why} was loaded`,
    );
  }
  switch (dep.auth.type) {
    case "bearer-token":
      return ["authorization", `Bearer ${value}`];
    case "basic":
      return ["authorization", `Basic ${btoa(value)}`];
    case "api-key":
      return [dep.auth.header ?? "X-API-Key", value];
  }
}

/**
 * Fetches from a dependency. With auth, redirects are followed here so the credential is
 * sent only to the dependency's own origin.
 */
export async function dependencyFetch(
  dep: DependencyInfo,
  path: string,
  init: RequestInit,
  secrets: Secrets,
  fetchImpl: typeof fetch,
): Promise<Response> {
  let url = dependencyUrl(dep, path);
  const auth = authHeader(dep, secrets);
  if (auth === null || init.redirect === "error" || init.redirect === "manual") {
    const headers = new Headers(init.headers);
    if (auth) headers.set(auth[0], auth[1]);
    return await fetchImpl(url, { ...init, headers });
  }
  const origin = url.origin;
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  for (let hop = 0;; hop++) {
    const headers = new Headers(init.headers);
    if (url.origin === origin) headers.set(auth[0], auth[1]);
    else headers.delete(auth[0]);
    const res = await fetchImpl(url, { ...init, method, body, headers, redirect: "manual" });
    const location = res.headers.get("location");
    if (!REDIRECTS.has(res.status) || location === null) return res;
    if (hop >= MAX_REDIRECTS) {
      throw new TypeError(`ctx.fetch("${dep.name}", "${path}"): more than 20 redirects`);
    }
    await res.body?.cancel();
    url = new URL(location, url);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
  }
}
