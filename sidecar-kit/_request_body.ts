/**
 * Reading request bodies within a byte limit (413 as soon as the limit is crossed).
 * @module
 */
import { SidecarHttpError } from "./errors.ts";

/** The 413 error for `limit`. */
export function tooLarge(limit: number): SidecarHttpError {
  return new SidecarHttpError(413, `request body too large: the limit is ${limit} bytes`, {
    limit_bytes: limit,
  });
}

/** Throws 413 when `Content-Length` already exceeds `limit`. */
export function checkContentLength(req: Request, limit: number): void {
  const raw = req.headers.get("content-length");
  if (raw !== null && Number(raw) > limit) throw tooLarge(limit);
}

/** Reads the whole body (bounded by `limit`). */
export async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  checkContentLength(req, limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body === null) return new Uint8Array();
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}
