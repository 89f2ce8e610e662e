/**
 * Node fixtures (`tests/fixtures/<node>.json`, as the seed guide lays them out): an input, the
 * expected output (a subset: only the keys given are compared) or an expected error, or
 * `skip: true` with a reason for nodes that need a running sidecar.
 * @module
 */
import assert from "node:assert/strict";
import type { Context } from "tentacular";

/** One fixture file. */
export interface Fixture {
  /** What the fixture shows. */
  description?: string;
  /** The node's input. */
  input: unknown;
  /** Expected output; objects are compared on the keys given, arrays element by element. */
  expected?: unknown;
  /** Expected error message (a regular expression source). */
  expectedError?: string;
  /** Skip this fixture in local unit runs. */
  skip?: boolean;
  /** Why it is skipped. */
  reason?: string;
}

/**
 * Registers one `Deno.test` per fixture file of a workflow directory.
 *
 * @param workflowDir The workflow directory (with `nodes/` and `tests/fixtures/`).
 * @param makeContext Builds the ctx for a node (and any setup it needs).
 * @example
 * ```ts ignore
 * registerFixtureTests(new URL("..", import.meta.url), async () => fakeContext({ sharedDir }));
 * ```
 */
export function registerFixtureTests(
  workflowDir: URL,
  makeContext: (node: string) => Promise<Context & AsyncDisposable>,
): void {
  const dir = new URL("tests/fixtures/", workflowDir);
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    const node = entry.name.replace(/\.json$/, "");
    const fixture = JSON.parse(Deno.readTextFileSync(new URL(entry.name, dir))) as Fixture;
    Deno.test({
      name: `fixture ${entry.name}: ${fixture.description ?? "node output matches"}`,
      ignore: fixture.skip === true,
      fn: async () => {
        const mod = await import(new URL(`nodes/${node}.ts`, workflowDir).href);
        await using ctx = await makeContext(node);
        if (fixture.expectedError !== undefined) {
          await assert.rejects(Promise.resolve().then(() => mod.default(ctx, fixture.input)), {
            message: new RegExp(fixture.expectedError),
          });
        } else {
          assertSubset(await mod.default(ctx, fixture.input), fixture.expected, "output");
        }
      },
    });
  }
}

function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${path}[${i}]`));
  } else if (typeof expected === "object" && expected !== null) {
    assert.ok(typeof actual === "object" && actual !== null, `${path}: expected an object`);
    for (const [k, v] of Object.entries(expected)) {
      assertSubset((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  } else {
    assert.deepEqual(actual, expected, path);
  }
}
