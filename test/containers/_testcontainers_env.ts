/**
 * The two settings testcontainers needs on these machines, set from code so that
 * `deno task test` needs no extra environment.
 *
 * @module
 */

/**
 * Sets (unless already set) `TESTCONTAINERS_RYUK_DISABLED=true` — the Ryuk reaper
 * image cannot be pulled without a registry; containers are removed by the tests
 * themselves — and `TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1` — with no bridge
 * network testcontainers' host detection fails ("network bridge not found"), and
 * every pod container uses the host network anyway.
 *
 * @returns Nothing; the variables are read when testcontainers first connects.
 */
export function configureTestcontainers(): void {
  const defaults = {
    TESTCONTAINERS_RYUK_DISABLED: "true",
    TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1",
  };
  for (const [name, value] of Object.entries(defaults)) {
    if (Deno.env.get(name) === undefined) Deno.env.set(name, value);
  }
}
