import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { problems, withNode } from "./_test_util.ts";

function sidecars(...entries: string[]): string {
  return withNode(
    `sidecars:\n${entries.map((e) => `  - ${e.trim().replaceAll("\n", "\n    ")}\n`).join("")}`,
  );
}
// withNode's header is 5 lines and "sidecars:" is line 6, so the first sidecar starts on line 7.

Deno.test("validate reports an invalid sidecar name with the specification's exact message", async () => {
  assertEquals(await problems(sidecars("name: FFmpeg\nimage: x\nport: 9000")), [
    '7:11: sidecar name "FFmpeg" is invalid: must match [a-z][a-z0-9_-]*',
  ]);
});

Deno.test("validate reports a duplicate sidecar name at its second occurrence", async () => {
  assertEquals(
    await problems(sidecars("name: a\nimage: x\nport: 9000", "name: a\nimage: y\nport: 9001")),
    [
      '10:11: duplicate sidecar name: "a"',
    ],
  );
});

Deno.test("validate requires a sidecar image, whether missing or empty", async () => {
  assertEquals(await problems(sidecars('name: a\nimage: ""\nport: 9000', "name: b\nport: 9001")), [
    '8:12: sidecar "a": image is required',
    '10:5: sidecar "b": image is required',
  ]);
});

Deno.test("validate reports sidecar ports out of range, reserved and duplicated", async () => {
  assertEquals(
    await problems(sidecars(
      "name: a\nimage: x\nport: 80",
      "name: b\nimage: x\nport: 70000",
      "name: c\nimage: x\nport: 8080",
      "name: d\nimage: x\nport: 9000",
      "name: e\nimage: x\nport: 9000",
    )),
    [
      '9:11: sidecar "a": port 80 is out of range (1024-65535)',
      '12:11: sidecar "b": port 70000 is out of range (1024-65535)',
      '15:11: sidecar "c": port 8080 is reserved for the engine',
      "21:11: duplicate sidecar port: 9000",
    ],
  );
});

Deno.test("validate reports a port that is not an integer", async () => {
  assertEquals(await problems(sidecars('name: a\nimage: x\nport: "9000"')), [
    '9:11: sidecar "a": port must be an integer (1024-65535), got "9000"',
  ]);
});

Deno.test("validate reports an invalid sidecar protocol with the specification's exact message", async () => {
  assertEquals(await problems(sidecars("name: a\nimage: x\nport: 9000\nprotocol: tcp")), [
    '10:15: sidecar "a": invalid protocol "tcp" (must be "http" or "grpc")',
  ]);
});

Deno.test("validate rejects the reserved sidecar name engine", async () => {
  assertEquals(await problems(sidecars("name: engine\nimage: x\nport: 9000")), [
    '7:11: sidecar name "engine" is reserved for the engine container',
  ]);
});

Deno.test("validate rejects sidecar names that are not valid Kubernetes container names", async () => {
  const long = "a".repeat(64);
  assertEquals(
    await problems(sidecars(
      "name: my_tool\nimage: x\nport: 9000",
      `name: ${long}\nimage: x\nport: 9001`,
      "name: tool-\nimage: x\nport: 9002",
      `name: ${"b".repeat(63)}\nimage: x\nport: 9003`,
    )),
    [
      '7:11: sidecar name "my_tool" is not a valid Kubernetes container name: "_" is not allowed (use "-": "my-tool")',
      `10:11: sidecar name "${long}" is 64 characters; Kubernetes container names allow at most 63`,
      '13:11: sidecar name "tool-" is not a valid Kubernetes container name: it must end with a letter or digit',
    ],
  );
});

Deno.test("validate requires healthPath to start with a slash", async () => {
  assertEquals(await problems(sidecars("name: a\nimage: x\nport: 9000\nhealthPath: health")), [
    '10:17: sidecar "a": healthPath "health" must start with "/" (e.g. "/health")',
  ]);
});

Deno.test("validate says how to quote env values that are not strings", async () => {
  assertEquals(
    await problems(sidecars("name: a\nimage: x\nport: 9000\nenv:\n  LEVEL: 3\n  ON: true")),
    [
      '11:14: sidecar "a": env LEVEL must be a string, got number; quote it: LEVEL: "3"',
      '12:11: sidecar "a": env ON must be a string, got boolean; quote it: ON: "true"',
    ],
  );
});

Deno.test("validate fills sidecar defaults: protocol http and healthPath /health", async () => {
  const { validateWorkflow } = await import("./validate.ts");
  const wf = validateWorkflow(sidecars("name: a\nimage: x\nport: 9000"));
  assertEquals(wf.sidecars?.[0]?.protocol, "http");
  assertEquals(wf.sidecars?.[0]?.healthPath, "/health");
});
