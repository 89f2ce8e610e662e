// deno-lint-ignore-file no-console -- a benchmark prints its table
/**
 * Sidecar-kit benchmark. Prints a table:
 * - `GET /health` requests/s of the kit vs a bare `Deno.serve` handler (target >= 0.9x);
 * - job overhead: median time of `POST /run-true` minus running `true` directly (target <= 5 ms);
 * - RSS growth of the sidecar while streaming 100 MB through a body-mode job (target < 50 MB).
 * Servers run in their own processes; the load generator is this process (keep-alive fetch,
 * N concurrent loops). Usage: `deno run -A sidecar-kit/bench/main.ts [seconds]`.
 * @module
 */
import { runProcess } from "../process.ts";

const SECONDS = Number(Deno.args[0] ?? 3);
const CONCURRENCY = 32;
const SERVER = new URL("./_server.ts", import.meta.url).pathname;

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function start(
  mode: "bare" | "bare-pipe" | "kit",
  env: Record<string, string> = {},
): Promise<Server> {
  const shared = await Deno.makeTempDir({ prefix: "bench-shared-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER, mode],
    env: { SHARED_DIR: shared, ...env },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (!/PORT (\d+)/.test(buf)) {
    const r = await reader.read();
    if (r.done) throw new Error(`${mode} server exited`);
    buf += r.value;
  }
  const port = /PORT (\d+)/.exec(buf)![1];
  (async () => {
    while (!(await reader.read()).done);
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(shared, { recursive: true });
    },
  };
}

async function load(url: string, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      count++;
    }
  }));
  return count / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rssKb(pid: number, field = "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(Deno.readTextFileSync(`/proc/${pid}/status`));
  return Number(m?.[1] ?? 0);
}

async function healthRatio(): Promise<[number, number]> {
  const bare = await start("bare");
  const kit = await start("kit");
  try {
    await load(`${bare.url}/health`, 0.5); // warm-up both
    await load(`${kit.url}/health`, 0.5);
    let b = 0, k = 0;
    for (let round = 0; round < 2; round++) { // interleave to share any machine noise
      b += await load(`${bare.url}/health`, SECONDS / 2);
      k += await load(`${kit.url}/health`, SECONDS / 2);
    }
    return [b / 2, k / 2];
  } finally {
    await bare.stop();
    await kit.stop();
  }
}

async function jobOverhead(n = 200): Promise<[number, number]> {
  const kit = await start("kit");
  try {
    const direct: number[] = [];
    const viaKit: number[] = [];
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      await runProcess(["true"]);
      direct.push(performance.now() - t0);
      t0 = performance.now();
      const res = await fetch(`${kit.url}/run-true`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      viaKit.push(performance.now() - t0);
    }
    return [median(direct.slice(10)), median(viaKit.slice(10))];
  } finally {
    await kit.stop();
  }
}

async function streamRss(
  mode: "kit" | "bare-pipe",
  totalMb = 100,
): Promise<{ base: number; peak: number; bytes: string }> {
  const kit = await start(mode);
  try {
    const base = rssKb(kit.pid);
    let peak = base;
    const sampler = setInterval(() => peak = Math.max(peak, rssKb(kit.pid)), 10);
    const chunk = new Uint8Array(64 * 1024).fill(97);
    let sent = 0;
    const total = totalMb * 1024 * 1024;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= total) return c.close();
        c.enqueue(chunk);
        sent += chunk.byteLength;
      },
    });
    const res = await fetch(`${kit.url}/${mode === "kit" ? "count" : ""}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body,
    });
    const out = (await res.text()).trim();
    clearInterval(sampler);
    peak = Math.max(peak, rssKb(kit.pid));
    return { base, peak, bytes: out };
  } finally {
    await kit.stop();
  }
}

const ONLY = Deno.env.get("BENCH_ONLY");
const [bare, kit] = ONLY && ONLY !== "health" ? [NaN, NaN] : await healthRatio();
const [direct, viaKit] = ONLY && ONLY !== "job" ? [NaN, NaN] : await jobOverhead();
const noRss = { base: NaN, peak: NaN, bytes: "-" };
const rssBare = ONLY && ONLY !== "rss" ? noRss : await streamRss("bare-pipe");
const rss = ONLY && ONLY !== "rss" ? noRss : await streamRss("kit");
const rows = [
  ["GET /health req/s: bare Deno.serve", bare.toFixed(0), ""],
  [
    "GET /health req/s: sidecar kit",
    kit.toFixed(0),
    `ratio ${(kit / bare).toFixed(2)}x (target >= 0.90x)`,
  ],
  ["`true` run directly, median ms", direct.toFixed(2), ""],
  [
    "POST /run-true via kit, median ms",
    viaKit.toFixed(2),
    `overhead ${(viaKit - direct).toFixed(2)} ms (target <= 5 ms)`,
  ],
  [
    "100 MB via bare handler + wc: RSS growth, MB",
    ((rssBare.peak - rssBare.base) / 1024).toFixed(1),
    "baseline",
  ],
  [
    "100 MB body job: RSS before, MB",
    (rss.base / 1024).toFixed(1),
    `tool counted ${rss.bytes} bytes`,
  ],
  [
    "100 MB body job: peak RSS, MB",
    (rss.peak / 1024).toFixed(1),
    `growth ${((rss.peak - rss.base) / 1024).toFixed(1)} MB (target < 50 MB)`,
  ],
];
const w = [44, 12, 0];
console.log(
  `sidecar-kit bench (${SECONDS}s load, ${CONCURRENCY} connections, ${navigator.hardwareConcurrency} cpus)`,
);
console.log(`${"measure".padEnd(w[0]!)} ${"value".padStart(w[1]!)}  note`);
for (const [a, b, c] of rows) console.log(`${a!.padEnd(w[0]!)} ${b!.padStart(w[1]!)}  ${c}`);
