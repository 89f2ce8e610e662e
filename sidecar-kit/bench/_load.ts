/**
 * Load generators for the bench: `wrk` when installed (a native generator, so the server is the
 * bottleneck), else a keep-alive fetch loop in this process (slower than the servers it loads;
 * its ratios understate the faster server). Loopback only, bounded duration.
 * @module
 */

/** Which generator measured a number. */
export type Generator = "wrk" | "fetch";

/** Whether `wrk` can be run. */
export async function hasWrk(): Promise<boolean> {
  try {
    // `wrk --version` exits 1 after printing its version: being able to start it is the test.
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** Requests/s of `GET url` for `seconds` with `connections` keep-alive connections. */
export async function loadWith(
  generator: Generator,
  url: string,
  seconds: number,
  connections: number,
): Promise<number> {
  if (!url.startsWith("http://127.0.0.1:")) throw new RangeError(`loopback only: ${url}`);
  return generator === "wrk"
    ? await wrk(url, seconds, connections)
    : await fetchLoop(url, seconds, connections);
}

async function wrk(url: string, seconds: number, connections: number): Promise<number> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text)?.[1];
  if (out.code !== 0 || rps === undefined || /Non-2xx/.test(text)) {
    throw new Error(`wrk failed (${out.code}): ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  return Number(rps);
}

async function fetchLoop(url: string, seconds: number, connections: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      count++;
    }
  }));
  return count / seconds;
}
