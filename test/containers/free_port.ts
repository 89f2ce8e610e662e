/**
 * Picks a TCP port that is free on the loopback interface.
 *
 * @module
 */

/**
 * Asks the kernel for a free port on 127.0.0.1 and releases it at once. Another
 * process could take it in between; with host networking that window is the
 * price of not mapping ports.
 *
 * @returns A port number in the ephemeral range.
 * @example
 * ```ts
 * import { freePort } from "./free_port.ts";
 * const port = freePort();
 * if (port <= 0 || port > 65535) throw new RangeError(`bad port ${port}`);
 * ```
 */
export function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return (listener.addr as Deno.NetAddr).port;
}
