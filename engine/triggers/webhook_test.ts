import assert from "node:assert/strict";
import { prepareWebhooks, WebhookSecretError } from "./webhook.ts";
import { assertTriggersSupported, UnsupportedTriggerError } from "./unsupported.ts";

Deno.test("prepareWebhooks resolves secret references and leaves unsigned hooks open", async () => {
  const routes = await prepareWebhooks([
    { type: "manual" },
    { type: "webhook", path: "/a" },
    { type: "webhook", path: "/b", secret: "gh.webhook" },
  ], { gh: { webhook: "x" } });
  assert.deepEqual(routes.map((r) => [r.path, r.label, r.verifier !== undefined]), [
    ["/a", "webhook:/a", false],
    ["/b", "webhook:/b", true],
  ]);
});

Deno.test("prepareWebhooks lists every unresolvable secret at once", async () => {
  await assert.rejects(
    () =>
      prepareWebhooks([
        { type: "webhook", path: "/a", secret: "plain-value" },
        { type: "webhook", path: "/b", secret: "missing.key" },
        { type: "webhook", path: "/c", secret: "gh.nokey" },
      ], { gh: { webhook: "x", other: "y" } }),
    (err) => {
      assert.ok(err instanceof WebhookSecretError);
      assert.deepEqual(err.problems, [
        'triggers[0].secret: "plain-value" is not a secret reference; expected "<secret>.<key>", e.g. "github.webhook"',
        'triggers[1].secret: secret "missing.key" not found: no secret named "missing"',
        'triggers[2].secret: secret "gh.nokey" not found: secret "gh" has no key "nokey" (keys: other, webhook)',
      ]);
      return true;
    },
  );
});

Deno.test("assertTriggersSupported refuses queue triggers with a clear message", () => {
  assert.throws(
    () =>
      assertTriggersSupported([
        { type: "manual" },
        { type: "queue", subject: "orders.created" },
      ]),
    (err) => {
      assert.ok(err instanceof UnsupportedTriggerError);
      assert.equal(
        err.message,
        'triggers[1]: queue trigger (subject "orders.created") is not supported by this engine ' +
          "yet; the engine refuses to start rather than ignore it. Remove it, or use a manual, " +
          "cron or webhook trigger.",
      );
      return true;
    },
  );
});
