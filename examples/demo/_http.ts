/**
 * Small HTTP helpers of the demo: waiting for a URL to answer 200 (while watching the process
 * that should serve it), and loopback port checks.
 * @module
 */
import { type Service, tailFile } from "./_service.ts";

/** Options of {@linkcode waitForOk}. */
export interface WaitOptions {
  /** Give up after this many ms. */
  timeoutMs: number;
  /** Stop waiting when aborted. */
  signal: AbortSignal;
  /** The process serving the URL: if it exits, waiting fails at once with its log tail. */
  service: Service;
  /** Receives the last non-200 answer, for progress display. */
  onStatus?: (status: string) => void;
}

/**
 * Polls `url` every 200 ms until it answers 200.
 *
 * @param url e.g. `http://127.0.0.1:9000/health`.
 * @param options Timeout, signal, the serving process and a status callback.
 * @returns The 200 response's JSON body (or `null` when it is not JSON).
 * @throws {Error} When the service exits or the timeout passes, with the service's log tail.
 * @example
 * ```ts ignore
 * await waitForOk("http://127.0.0.1:9000/health", { timeoutMs: 30_000, signal, service });
 * ```
 */
export async function waitForOk(url: string, options: WaitOptions): Promise<unknown> {
  const deadline = Date.now() + options.timeoutMs;
  let exited: Deno.CommandStatus | undefined;
  options.service.status.then((s) => exited = s);
  let last = "no answer yet";
  while (true) {
    options.signal.throwIfAborted();
    if (exited) {
      throw new Error(
        `${options.service.name} exited (code ${exited.code}) before ${url} answered 200:\n` +
          (await tailFile(options.service.logFile)),
      );
    }
    try {
      const res = await fetch(url, {
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(2000)]),
      });
      const text = await res.text();
      if (res.status === 200) return parseJson(text);
      last = `${res.status} ${text.slice(0, 200)}`;
      options.onStatus?.(`(${res.status})`);
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      last = (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${url} did not answer 200 within ${options.timeoutMs / 1000} s (last: ${last}); ` +
          `${options.service.name} log ${options.service.logFile}:\n${await tailFile(
            options.service.logFile,
          )}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Fails when something already listens on `127.0.0.1:port`.
 *
 * @param port The port.
 * @param what What needs it, for the message.
 * @throws {Deno.errors.AddrInUse} Naming the port and what needs it.
 * @example
 * ```ts ignore
 * assertPortFree(9000, "the ffmpeg sidecar (workflow.yaml declares port 9000)");
 * ```
 */
export function assertPortFree(port: number, what: string): void {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new Deno.errors.AddrInUse(
        `port ${port} on 127.0.0.1 is already in use, but ${what} needs it; stop whatever listens there`,
      );
    }
    throw error;
  }
}

/**
 * A currently free loopback port.
 *
 * @returns The port number.
 * @example
 * ```ts ignore
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
