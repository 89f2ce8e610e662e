import assert from "node:assert/strict";
import { z } from "zod";
import { createSharedPaths, SharedPathError, SharedPaths } from "./shared_paths.ts";
import { sharedPath, withSharedPaths } from "./shared_path_schema.ts";

/** A shared dir with files, a sibling "secret" dir outside, and symlinks of every kind. */
async function fixture(): Promise<
  { paths: SharedPaths; outside: string; cleanup(): Promise<void> }
> {
  const base = await Deno.realPath(await Deno.makeTempDir({ prefix: "paths-test-" }));
  const shared = `${base}/shared`;
  const outside = `${base}/secret`;
  await Deno.mkdir(`${shared}/input/sub`, { recursive: true });
  await Deno.mkdir(outside);
  await Deno.writeTextFile(`${shared}/input/video.mp4`, "v");
  await Deno.writeTextFile(`${outside}/passwd`, "root");
  await Deno.symlink(outside, `${shared}/input/escape_dir`);
  await Deno.symlink(`${outside}/passwd`, `${shared}/input/escape_file`);
  await Deno.symlink("../../secret/passwd", `${shared}/input/escape_relative`);
  await Deno.symlink("/etc", `${shared}/etc_link`);
  await Deno.symlink(`${outside}/missing`, `${shared}/input/dangling_out`);
  await Deno.symlink(`${shared}/input/loop_b`, `${shared}/input/loop_a`);
  await Deno.symlink(`${shared}/input/loop_a`, `${shared}/input/loop_b`);
  await Deno.symlink(`${shared}/input/video.mp4`, `${shared}/input/inside_link`);
  await Deno.symlink("sub", `${shared}/input/inside_dir_link`);
  return {
    paths: await createSharedPaths(shared),
    outside,
    cleanup: () => Deno.remove(base, { recursive: true }),
  };
}

const REJECTED: Array<[string, RegExp]> = [
  ["../etc/passwd", /'\.\.' segments/],
  ["../../../../etc/passwd", /'\.\.' segments/],
  ["/shared/../etc/passwd", /'\.\.' segments/],
  ["/shared/input/../../etc/passwd", /'\.\.' segments/],
  ["/shared/input/..", /'\.\.' segments/],
  ["input/../../x", /'\.\.' segments/],
  ["/shared/./../x", /'\.\.' segments/],
  ["/shared//..//x", /'\.\.' segments/],
  ["..", /'\.\.' segments/],
  ["/etc/passwd", /must be inside \/shared/],
  ["/", /must be inside \/shared/],
  ["/tmp", /must be inside \/shared/],
  ["/sharedfoo/x", /must be inside \/shared/],
  ["/shared-other/x", /must be inside \/shared/],
  ["//etc/passwd", /must be inside \/shared/],
  ["/SHARED/input/video.mp4", /must be inside \/shared/],
  ["/proc/self/environ", /must be inside \/shared/],
  ["/shared/input/video.mp4\0.jpg", /NUL bytes/],
  ["\0", /NUL bytes/],
  ["", /non-empty/],
  ["/shared/input/escape_dir/passwd", /resolves outside/],
  ["/shared/input/escape_dir", /resolves outside/],
  ["/shared/input/escape_file", /resolves outside/],
  ["/shared/input/escape_relative", /resolves outside/],
  ["/shared/etc_link/passwd", /resolves outside/],
  ["/shared/etc_link/new-file-to-create", /resolves outside/],
  ["/shared/input/escape_dir/new/deep/file", /resolves outside/],
  ["/shared/input/dangling_out", /dangling or looping/],
  ["/shared/input/loop_a", /dangling or looping/],
  ["input/escape_file", /resolves outside/],
];

const ACCEPTED: Array<[string, string]> = [
  ["/shared/input/video.mp4", "input/video.mp4"],
  ["/shared", ""],
  ["/shared/", ""],
  ["input/video.mp4", "input/video.mp4"],
  ["./input/video.mp4", "input/video.mp4"],
  ["/shared/./input//video.mp4", "input/video.mp4"],
  ["/shared/output/not-yet-created/frame.jpg", "output/not-yet-created/frame.jpg"],
  ["/shared/input/inside_link", "input/inside_link"],
  ["/shared/input/inside_dir_link/x", "input/inside_dir_link/x"],
  ["/shared/input/%2e%2e/x", "input/%2e%2e/x"],
  ["/shared/input/..foo", "input/..foo"],
  ["/shared/input/foo..", "input/foo.."],
  ["/shared/input/a\\..\\b", "input/a\\..\\b"],
];

Deno.test("SharedPaths.resolve() rejects every escape in the traversal corpus with its reason", async () => {
  const f = await fixture();
  try {
    assert.ok(REJECTED.length >= 30, "corpus has 30+ cases");
    for (const [input, reason] of REJECTED) {
      await assert.rejects(f.paths.resolve(input), (e: unknown) => {
        assert.ok(e instanceof SharedPathError, `${JSON.stringify(input)} -> ${e}`);
        assert.match(e.message, reason, JSON.stringify(input));
        return true;
      }, `expected ${JSON.stringify(input)} to be rejected`);
    }
  } finally {
    await f.cleanup();
  }
});

Deno.test("SharedPaths.resolve() accepts pod-form, relative and in-root symlinked paths", async () => {
  const f = await fixture();
  try {
    for (const [input, rel] of ACCEPTED) {
      const real = await f.paths.resolve(input);
      assert.equal(real, rel === "" ? f.paths.root : `${f.paths.root}/${rel}`, input);
    }
  } finally {
    await f.cleanup();
  }
});

Deno.test("SharedPaths.resolve() enforces mustExist and kind", async () => {
  const f = await fixture();
  try {
    await assert.rejects(
      f.paths.resolve("/shared/input/nope.mp4", { mustExist: true }),
      /does not exist/,
    );
    await assert.rejects(f.paths.resolve("/shared/input", { kind: "file" }), /not a regular file/);
    await assert.rejects(
      f.paths.resolve("/shared/input/video.mp4", { kind: "dir" }),
      /not a directory/,
    );
    assert.equal(
      await f.paths.resolve("/shared/input/video.mp4", { mustExist: true, kind: "file" }),
      `${f.paths.root}/input/video.mp4`,
    );
  } finally {
    await f.cleanup();
  }
});

Deno.test("SharedPaths.ensureDir() creates directories and refuses a file in the way, in pod form", async () => {
  const { paths, outside, cleanup } = await fixture();
  try {
    const made = await paths.ensureDir("/shared/output/a/b");
    assert.equal((await Deno.stat(made)).isDirectory, true);
    assert.equal(await paths.ensureDir("/shared/output/a/b"), made, "an existing dir is fine");
    for (const given of ["/shared/input/video.mp4", "/shared/input/video.mp4/frames"]) {
      await assert.rejects(paths.ensureDir(given), (err: unknown) => {
        assert.ok(err instanceof SharedPathError);
        assert.equal(
          err.message,
          `path "${given}" cannot be a directory: it, or a folder above it, is a file`,
        );
        assert.ok(!err.message.includes(paths.root), "no host path");
        return true;
      });
    }
    await assert.rejects(paths.ensureDir("/shared/input/escape_dir/x"), SharedPathError);
    await assert.rejects(Deno.stat(`${outside}/x`), Deno.errors.NotFound);
  } finally {
    await cleanup();
  }
});

Deno.test("toReal() accepts the real root form too, and toVirtual() maps back to /shared", () => {
  const p = new SharedPaths("/data/pod-shared");
  assert.equal(p.toReal("/data/pod-shared/a/b"), "/data/pod-shared/a/b");
  assert.equal(p.toVirtual("/data/pod-shared/a/b"), "/shared/a/b");
  assert.equal(p.toVirtual("/data/pod-shared"), "/shared");
  assert.throws(() => p.toVirtual("/data/pod-sharedX/a"), SharedPathError);
});

Deno.test("virtualize() maps nested real paths to pod form and leaves other values alone", () => {
  const p = new SharedPaths("/tmp/s");
  const out = p.virtualize({
    frames: ["/tmp/s/out/1.jpg", "/tmp/s/out/2.jpg"],
    meta: { dir: "/tmp/s/out", other: "/tmp/elsewhere", n: 3, none: null },
  });
  assert.deepEqual(out, {
    frames: ["/shared/out/1.jpg", "/shared/out/2.jpg"],
    meta: { dir: "/shared/out", other: "/tmp/elsewhere", n: 3, none: null },
  });
});

Deno.test("sharedPath() turns escapes into zod issues on the field and resolves defaults", async () => {
  const f = await fixture();
  try {
    const schema = z.object({
      input: sharedPath(),
      out: sharedPath({ default: "/shared/output" }),
    });
    const ok = await withSharedPaths(
      f.paths,
      () => schema.parseAsync({ input: "/shared/input/video.mp4" }),
    );
    assert.equal(ok.input, `${f.paths.root}/input/video.mp4`);
    assert.equal(ok.out, `${f.paths.root}/output`);
    const bad = await withSharedPaths(
      f.paths,
      () => schema.safeParseAsync({ input: "/shared/input/escape_file" }),
    );
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues.map((i) => i.path), [["input"]]);
    const outside = await schema.safeParseAsync({ input: "/shared/x" });
    assert.match(outside.error?.issues[0]?.message ?? "", /outside withSharedPaths/);
  } finally {
    await f.cleanup();
  }
});
