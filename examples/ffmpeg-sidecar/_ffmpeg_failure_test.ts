import assert from "node:assert/strict";
import { ProcessError, SharedPaths, SidecarHttpError } from "@tntc/sidecar-kit";
import { inputFailure } from "./_ffmpeg_failure.ts";

const paths = new SharedPaths("/srv/shared");
const fail = (stderrTail: string, reason: "exit" | "timeout" = "exit") =>
  new ProcessError({ reason, argv: ["/usr/bin/ffmpeg", "-i", "x"], code: 1, stderrTail });

Deno.test("inputFailure() turns input errors into a 422 with pod paths and ffmpeg's words", () => {
  const e = inputFailure(
    fail(
      "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0] moov atom not found\n/srv/shared/in/a.mp4: Invalid data found when processing input\n",
    ),
    paths,
    "/srv/shared/in/a.mp4",
  );
  assert.ok(e instanceof SidecarHttpError);
  assert.equal(e.status, 422);
  assert.equal(
    e.message,
    'input "/shared/in/a.mp4" is not a readable video: [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found; ' +
      "/shared/in/a.mp4: Invalid data found when processing input",
  );
  assert.equal(e.details.tool, "ffmpeg");
});

Deno.test("inputFailure() leaves timeouts and unrelated tool failures alone", () => {
  const timeout = fail("", "timeout");
  assert.equal(inputFailure(timeout, paths, "/srv/shared/a.mp4"), timeout);
  const encoder = fail("Unknown encoder 'libfoo'");
  assert.equal(inputFailure(encoder, paths, "/srv/shared/a.mp4"), encoder);
  const other = new Error("x");
  assert.equal(inputFailure(other, paths, "/srv/shared/a.mp4"), other);
});
