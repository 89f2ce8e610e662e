/** The header a webhook sender puts the body's signature in: `sha256=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = "X-Signature-256";

/** GitHub's name for the same header and format, accepted as well. */
export const GITHUB_SIGNATURE_HEADER = "X-Hub-Signature-256";

const PATTERN = /^sha256=([0-9a-fA-F]{64})$/;
const encoder = new TextEncoder();

/** Checks webhook signatures for one secret; the key is imported once. */
export interface SignatureVerifier {
  /**
   * Checks a request body against its signature header.
   *
   * @param body The raw body bytes, exactly as received.
   * @param headers The request headers.
   * @returns `undefined` when the signature matches, else why not.
   */
  verify(body: Uint8Array<ArrayBuffer>, headers: Headers): Promise<string | undefined>;
}

/**
 * Creates a verifier of `X-Signature-256: sha256=<hex>` headers (or GitHub's
 * `X-Hub-Signature-256`) holding HMAC-SHA256 of the raw body under `secret`. The comparison
 * is WebCrypto's `verify`, which is constant-time: no early exit on the first differing byte.
 *
 * @param secret The shared secret.
 * @returns The verifier.
 * @throws {TypeError} When the secret is empty.
 * @example
 * ```ts
 * import { createSignatureVerifier, signBody } from "./signature.ts";
 * const body = new TextEncoder().encode('{"a":1}');
 * const verifier = await createSignatureVerifier("s3cret");
 * const ok = new Headers({ "X-Signature-256": await signBody("s3cret", body) });
 * console.assert(await verifier.verify(body, ok) === undefined);
 * const bad = new Headers({ "X-Signature-256": await signBody("other", body) });
 * console.assert(await verifier.verify(body, bad) === "X-Signature-256 does not match the request body");
 * ```
 */
export async function createSignatureVerifier(secret: string): Promise<SignatureVerifier> {
  if (secret === "") throw new TypeError("webhook secret is empty");
  const key = await hmacKey(secret, ["verify"]);
  return {
    async verify(body, headers) {
      const name = headers.has(SIGNATURE_HEADER) ? SIGNATURE_HEADER : GITHUB_SIGNATURE_HEADER;
      const value = headers.get(name);
      if (value === null) {
        return `missing ${SIGNATURE_HEADER} header: expected "sha256=" followed by the hex ` +
          "HMAC-SHA256 of the raw request body";
      }
      const hex = PATTERN.exec(value.trim())?.[1];
      if (hex === undefined) {
        return `malformed ${name} header: expected "sha256=" followed by 64 hex digits`;
      }
      const ok = await crypto.subtle.verify("HMAC", key, fromHex(hex), body);
      return ok ? undefined : `${name} does not match the request body`;
    },
  };
}

/**
 * Signs a body the way webhook senders must: `sha256=<hex HMAC-SHA256(secret, body)>`.
 *
 * @param secret The shared secret.
 * @param body The raw body.
 * @returns The header value.
 * @example
 * ```ts
 * import { signBody } from "./signature.ts";
 * const sig = await signBody("key", new TextEncoder().encode("The quick brown fox jumps over the lazy dog"));
 * console.assert(sig === "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
 * ```
 */
export async function signBody(
  secret: string,
  body: Uint8Array<ArrayBuffer> | string,
): Promise<string> {
  const key = await hmacKey(secret, ["sign"]);
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function hmacKey(secret: string, usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    usages,
  );
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
