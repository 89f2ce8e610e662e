import { deepStrictEqual, ok } from "node:assert/strict";
import { validateWorkflow } from "../spec/validate.ts";
import { digestWarnings, isPinnedByDigest } from "./digest.ts";

const sha = "a".repeat(64);

Deno.test("isPinnedByDigest() accepts digests with or without a tag, and rejects tags", () => {
  ok(isPinnedByDigest(`ghcr.io/x/ffmpeg@sha256:${sha}`));
  ok(isPinnedByDigest(`ghcr.io/x/ffmpeg:v1@sha256:${sha}`));
  ok(isPinnedByDigest(`localhost:5000/ffmpeg@sha512:${"b".repeat(128)}`));
  ok(!isPinnedByDigest("ghcr.io/x/ffmpeg:v1.0.0"));
  ok(!isPinnedByDigest("ffmpeg"));
  ok(!isPinnedByDigest("ffmpeg@sha256:short"));
  ok(!isPinnedByDigest("localhost:5000/ffmpeg"));
});

Deno.test("digestWarnings() names each unpinned sidecar and suggests the digest form", () => {
  const wf = validateWorkflow([
    "name: a",
    'version: "1"',
    "sidecars:",
    "  - name: one",
    "    image: localhost:5000/tools/one:2",
    "    port: 9000",
    "  - name: two",
    `    image: two@sha256:${sha}`,
    "    port: 9001",
    "nodes:",
    "  n:",
    "    path: ./n.ts",
    "",
  ].join("\n"));
  deepStrictEqual(digestWarnings(wf), [
    'sidecar "one": image "localhost:5000/tools/one:2" is not pinned by digest; ' +
    "pin it in production (e.g. localhost:5000/tools/one@sha256:<digest>)",
  ]);
});
