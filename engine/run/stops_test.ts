import assert from "node:assert/strict";
import { cancelMessage } from "./_stops.ts";

function aborted(reason?: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

Deno.test("cancelMessage says why when the canceller gave a reason, once", () => {
  assert.equal(cancelMessage(aborted()), "run cancelled");
  assert.equal(
    cancelMessage(aborted(new DOMException("engine is shutting down", "AbortError"))),
    "run cancelled: engine is shutting down",
  );
  assert.equal(cancelMessage(aborted("deadline moved")), "run cancelled: deadline moved");
  assert.equal(
    cancelMessage(aborted(new Error("cancelled by request r-1"))),
    "cancelled by request r-1",
  );
  assert.equal(cancelMessage(aborted(new Error(""))), "run cancelled");
  assert.equal(cancelMessage(aborted(42)), "run cancelled");
});
