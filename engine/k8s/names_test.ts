import { equal, notEqual, ok, throws } from "node:assert/strict";
import { defaultNamespace, isDns1035Label, isDnsLabel, labelWithSuffix } from "./names.ts";
import { sidecarTmpVolumeName } from "./sidecar_container.ts";

const max = "s" + "x".repeat(61) + "1";

Deno.test("labelWithSuffix() keeps short names as they are", () => {
  equal(labelWithSuffix("ffmpeg", "-tmp"), "ffmpeg-tmp");
  equal(labelWithSuffix("a".repeat(59), "-tmp"), `${"a".repeat(59)}-tmp`);
});

Deno.test("labelWithSuffix() shortens a 63-character name to a valid 63-character label with a hash", () => {
  const name = sidecarTmpVolumeName(max);
  equal(name.length, 63);
  ok(isDnsLabel(name), name);
  ok(name.endsWith("-tmp"));
  ok(name.startsWith("sxxxx"));
  equal(name, sidecarTmpVolumeName(max), "deterministic");
});

Deno.test("two long names that differ only at the end get different shortened names", () => {
  notEqual(sidecarTmpVolumeName(max), sidecarTmpVolumeName(max.slice(0, -1) + "2"));
});

Deno.test("a cut that would end in '-' drops the dash, so the label stays valid", () => {
  const name = labelWithSuffix(`${"a".repeat(49)}-${"b".repeat(13)}`, "-tmp");
  ok(isDnsLabel(name), name);
  ok(!name.includes("--"), name);
});

Deno.test("labelWithSuffix() refuses a suffix that leaves no room", () => {
  throws(() => labelWithSuffix("abc", `-${"x".repeat(70)}`), RangeError);
});

Deno.test("defaultNamespace() is pd-<workflow>, shortened to 63 characters for long names", () => {
  equal(defaultNamespace("video-frame-extractor"), "pd-video-frame-extractor");
  equal(defaultNamespace("a".repeat(60)), `pd-${"a".repeat(60)}`);
  const long = defaultNamespace("a".repeat(63));
  equal(long.length, 63);
  ok(isDnsLabel(long) && long.startsWith("pd-aaa"), long);
});

Deno.test("isDnsLabel() and isDns1035Label() follow the Kubernetes rules", () => {
  ok(isDnsLabel("a") && isDnsLabel("1a") && isDnsLabel("a".repeat(63)));
  ok(!isDnsLabel("a".repeat(64)) && !isDnsLabel("-a") && !isDnsLabel("a-") && !isDnsLabel(""));
  ok(!isDnsLabel("a_b") && !isDnsLabel("A"));
  ok(isDns1035Label("a1") && !isDns1035Label("1a"));
});
