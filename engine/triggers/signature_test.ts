import assert from "node:assert/strict";
import { createSignatureVerifier, signBody } from "./signature.ts";

const body = new TextEncoder().encode('{"action":"opened"}');

Deno.test("signBody matches the RFC 4231 HMAC-SHA256 test case 2", async () => {
  assert.equal(
    await signBody("Jefe", "what do ya want for nothing?"),
    "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});

Deno.test("a verifier accepts the right signature in either header name and any hex case", async () => {
  const verifier = await createSignatureVerifier("s3cret");
  const sig = await signBody("s3cret", body);
  assert.equal(await verifier.verify(body, new Headers({ "X-Signature-256": sig })), undefined);
  assert.equal(await verifier.verify(body, new Headers({ "X-Hub-Signature-256": sig })), undefined);
  const upper = "sha256=" + sig.slice(7).toUpperCase();
  assert.equal(await verifier.verify(body, new Headers({ "X-Signature-256": upper })), undefined);
});

Deno.test("a verifier explains a missing, malformed or wrong signature", async () => {
  const verifier = await createSignatureVerifier("s3cret");
  assert.match(await verifier.verify(body, new Headers()) ?? "", /^missing X-Signature-256 header/);
  assert.equal(
    await verifier.verify(body, new Headers({ "X-Signature-256": "sha1=abc" })),
    'malformed X-Signature-256 header: expected "sha256=" followed by 64 hex digits',
  );
  const other = await signBody("not-the-secret", body);
  assert.equal(
    await verifier.verify(body, new Headers({ "X-Hub-Signature-256": other })),
    "X-Hub-Signature-256 does not match the request body",
  );
});

Deno.test("createSignatureVerifier refuses an empty secret", async () => {
  await assert.rejects(() => createSignatureVerifier(""), {
    name: "TypeError",
    message: "webhook secret is empty",
  });
});
