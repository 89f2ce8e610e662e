import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { libraryFile, parseLdd, sharedLibraries, which } from "./_rootfs.ts";

Deno.test("parseLdd() lists resolved libraries and the loader, skipping the vDSO", () => {
  const output = [
    "\tlinux-vdso.so.1 (0x00007ffc6b1e5000)",
    "\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0e4c2a0000)",
    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e4c0bf000)",
    "\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e4c2b9000)",
    "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e4c0bf000)",
  ].join("\n");
  assert.deepEqual(parseLdd(output), {
    paths: [
      "/lib/x86_64-linux-gnu/libdl.so.2",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ],
    missing: [],
  });
});

Deno.test("parseLdd() reports libraries ldd could not find by name", () => {
  const output =
    "\tlibfoo.so.1 => not found\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n";
  assert.deepEqual(parseLdd(output), {
    paths: ["/lib/x86_64-linux-gnu/libc.so.6"],
    missing: ["libfoo.so.1"],
  });
});

Deno.test("sharedLibraries() of the running Deno includes libc and the dynamic loader", async () => {
  const libraries = await sharedLibraries(Deno.execPath());
  assert.ok(libraries.some((path) => path.endsWith("/libc.so.6")), libraries.join("\n"));
  assert.ok(libraries.some((path) => /\/ld-linux[^/]*\.so\.\d+$/.test(path)), libraries.join("\n"));
});

const LIBC = "/lib/x86_64-linux-gnu/libc.so.6";

Deno.test({
  name: "libraryFile() keeps the soname but places it in the host's real directory",
  ignore: !existsSync(LIBC),
  fn() {
    const file = libraryFile(LIBC);
    assert.equal(file.source, LIBC);
    assert.equal(file.target, `${Deno.realPathSync("/lib/x86_64-linux-gnu")}/libc.so.6`);
  },
});

Deno.test("which() finds executables on PATH and returns undefined for unknown names", () => {
  assert.equal(which("surely-no-such-command-tntc"), undefined);
  const sh = which("sh");
  assert.ok(sh?.endsWith("/sh"));
});
