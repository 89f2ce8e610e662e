import assert from "node:assert/strict";
import { describeError, withSidecarHint } from "./_attempt.ts";

Deno.test("describeError keeps what a cause adds: a fetch failure says why", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close(); // nothing listens there now
  const refused = await fetch(`http://127.0.0.1:${port}/x`).then(() => null, (e) => e);
  assert.match(describeError(refused), /^TypeError: fetch failed: .*[Cc]onnection refused/);
  assert.equal(describeError(new Error("plain")), "plain");
  assert.equal(describeError(new RangeError("r")), "RangeError: r");
  const same = new Error("outer: inner", { cause: new Error("inner") });
  assert.equal(describeError(same), "outer: inner");
  assert.equal(describeError("text"), "threw text");
});

Deno.test("withSidecarHint names the declared sidecar behind a refused connection", () => {
  const sidecars = { ffmpeg: { name: "ffmpeg", url: "http://localhost:9000" } };
  const refused = "TypeError: fetch failed: error sending request for url " +
    "(http://localhost:9000/extract-frames): client error (Connect): tcp connect error: " +
    "Connection refused (os error 111)";
  assert.equal(
    withSidecarHint(refused, sidecars),
    `${refused} (sidecar "ffmpeg" at http://localhost:9000 is not listening: it is not running, ` +
      "or not ready yet; `tntc dev` does not start sidecars)",
  );
  const other = refused.replace(":9000/", ":9001/");
  assert.equal(withSidecarHint(other, sidecars), other);
  assert.equal(withSidecarHint("TypeError: boom", sidecars), "TypeError: boom");
});
