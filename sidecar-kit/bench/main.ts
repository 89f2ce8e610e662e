// deno-lint-ignore-file no-console -- a benchmark prints its table
/**
 * Sidecar-kit benchmark; prints one table. Every server runs in its own process and every kit
 * number has a baseline measured in the same run, alternating, reported as a median:
 * - `GET /health` requests/s, kit vs a bare `Deno.serve` handler (target >= 0.9x), loaded by
 *   `wrk` (falls back to a fetch loop, and says so, when wrk is missing);
 * - job overhead: `POST /run-true` vs running `true` directly, p50/p90 (target <= 5 ms p50);
 * - peak RSS growth (kernel `VmHWM`) while 100 MB streams (chunked and with Content-Length)
 *   through a body job that pipes it to `wc -c` (target < 50 MB), vs a bare `Deno.serve` handler
 *   piping to the same tool with `req.body.pipeTo` and one reading 4 KiB at a time; and through
 *   `cat`, whose answer streams while the upload goes on, vs the bare `pipeTo` handler.
 * Usage: `deno run -A sidecar-kit/bench/main.ts [seconds] [rss-runs]`; env `BENCH_ONLY=health|job|rss`
 * runs one part, `BENCH_ROUNDS` (default 5) sets the alternating health rounds.
 * @module
 */
import { runProcess } from "../process.ts";
import { type Generator, hasWrk, loadWith } from "./_load.ts";
import { type BodyKind, rssGrowth } from "./_rss.ts";

const SECONDS = Number(Deno.args[0] ?? 3);
const RSS_RUNS = Number(Deno.args[1] ?? 5);
const CONNECTIONS = 32;
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 5);
const SERVER = new URL("./_server.ts", import.meta.url).pathname;

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

type Mode = "bare" | "bare-pipe" | "bare-small" | "kit";

async function start(mode: Mode, tool: Tool = "wc"): Promise<Server> {
  const shared = await Deno.makeTempDir({ prefix: "bench-shared-" });
  const child = new Deno.Command(Deno.execPath(), {
    // request.signal then aborts only for clients that leave (no legacy warning in the table).
    args: ["run", "-A", "--unstable-no-legacy-abort", SERVER, mode, tool],
    env: { SHARED_DIR: shared },
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
  const drained = (async () => {
    while (!(await reader.read()).done);
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await drained;
      await Deno.remove(shared, { recursive: true });
    },
  };
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

const HEALTH_MODES = ["bare", "kit"] as const;

async function health(generator: Generator): Promise<Record<typeof HEALTH_MODES[number], number>> {
  const servers = await Promise.all(HEALTH_MODES.map((m) => start(m)));
  try {
    for (const s of servers) await loadWith(generator, `${s.url}/health`, 1, CONNECTIONS); // warm-up
    const runs = servers.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) { // alternate so all share the machine's noise
      for (const [i, s] of servers.entries()) {
        runs[i]!.push(await loadWith(generator, `${s.url}/health`, SECONDS, CONNECTIONS));
      }
    }
    const [bare, kit] = runs.map((r) => quantile(r, 0.5));
    return { bare: bare!, kit: kit! };
  } finally {
    for (const s of servers) await s.stop();
  }
}

async function jobOverhead(n = 400): Promise<{ direct: number[]; viaKit: number[] }> {
  const kit = await start("kit");
  try {
    const direct: number[] = [], viaKit: number[] = [];
    for (let i = 0; i < n + 20; i++) {
      let t0 = performance.now();
      await runProcess(["true"]);
      const d = performance.now() - t0;
      t0 = performance.now();
      const res = await fetch(`${kit.url}/run-true`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      if (i >= 20) { // the first 20 are warm-up
        direct.push(d);
        viaKit.push(performance.now() - t0);
      }
    }
    return { direct, viaKit };
  } finally {
    await kit.stop();
  }
}

/** The body job's tool: `wc -c` answers once at the end, `cat` streams the body back. */
type Tool = "wc" | "cat";

/**
 * Modes per tool. `bare-small` is left out for `cat`: it keeps reading 4 KiB at a time while the
 * answer streams, when Deno has buffered the upload ahead, which takes minutes (see
 * `STREAMING_READ_BYTES` in `_limit_stream.ts`).
 */
const RSS_MODES: Record<Tool, Mode[]> = {
  wc: ["bare-pipe", "bare-small", "kit"],
  cat: ["bare-pipe", "kit"],
};

async function rss(kind: BodyKind, tool: Tool): Promise<Map<Mode, number[]>> {
  const out = new Map<Mode, number[]>(RSS_MODES[tool].map((m) => [m, []]));
  const total = 100 * 1024 * 1024;
  for (let i = 0; i < RSS_RUNS; i++) {
    for (const mode of RSS_MODES[tool]) { // alternating, so all share the machine's noise
      const s = await start(mode, tool);
      try {
        const path = mode !== "kit" ? "" : tool === "wc" ? "count" : "cat";
        const r = await rssGrowth(s.pid, `${s.url}/${path}`, 100, kind);
        const ok = tool === "wc" ? r.answer === String(total) : r.answerBytes === total;
        if (!ok) throw new Error(`${mode} ${tool}: answered ${r.answerBytes} bytes: ${r.answer}`);
        out.get(mode)!.push(r.growthMb);
      } finally {
        await s.stop();
      }
    }
  }
  return out;
}

const ONLY = Deno.env.get("BENCH_ONLY");
const want = (part: string) => !ONLY || ONLY === part;
const rows: [string, string, string][] = [];
if (want("health")) {
  const generator: Generator = await hasWrk() ? "wrk" : "fetch";
  if (generator === "fetch") {
    console.log("NOTE: wrk not found (apt-get install -y wrk): using a Deno fetch loop, which is");
    console.log("      slower than the servers, so the health ratio below is not meaningful.");
  }
  const h = await health(generator);
  rows.push([
    `GET /health req/s: bare Deno.serve (${generator})`,
    h.bare.toFixed(0),
    `median of ${ROUNDS}`,
  ]);
  rows.push([
    `GET /health req/s: sidecar kit (${generator})`,
    h.kit.toFixed(0),
    `ratio ${(h.kit / h.bare).toFixed(2)}x (target >= 0.90x)`,
  ]);
}
if (want("job")) {
  const j = await jobOverhead();
  const p = (xs: number[]) => `${quantile(xs, 0.5).toFixed(2)} / ${quantile(xs, 0.9).toFixed(2)}`;
  rows.push([`\`true\` run directly, p50 / p90 ms (n=${j.direct.length})`, p(j.direct), ""]);
  rows.push([
    "POST /run-true via kit, p50 / p90 ms",
    p(j.viaKit),
    `overhead p50 ${
      (quantile(j.viaKit, 0.5) - quantile(j.direct, 0.5)).toFixed(2)
    } ms (target <= 5 ms)`,
  ]);
}
if (want("rss")) {
  const label: Record<Mode, string> = {
    "bare": "",
    "bare-pipe": "bare pipeTo",
    "bare-small": "bare 4 KiB reads",
    "kit": "kit body job",
  };
  for (const tool of ["wc", "cat"] as const) {
    for (const kind of ["chunked", "declared"] as const) {
      const r = await rss(kind, tool);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" ");
      const bare = quantile(r.get("bare-pipe")!, 0.5);
      for (const [mode, runs] of r) {
        const median = quantile(runs, 0.5);
        const note = mode !== "kit" ? "" : `; ${median < 50 ? "meets" : "misses"} target < 50 MB` +
          `; kit - bare pipeTo ${(median - bare).toFixed(1)}`;
        rows.push([
          `100 MB ${kind} -> ${tool === "wc" ? "wc -c" : "cat"}, ${label[mode]}: RSS growth MB`,
          median.toFixed(1),
          `runs: ${list(runs)}${note}`,
        ]);
      }
    }
  }
}
const w = [58, 12];
console.log(
  `sidecar-kit bench (${SECONDS}s per load round, ${CONNECTIONS} connections, ` +
    `${navigator.hardwareConcurrency} cpus, ${RSS_RUNS} RSS runs, Deno ${Deno.version.deno})`,
);
console.log(`${"measure".padEnd(w[0]!)} ${"value".padStart(w[1]!)}  note`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w[0]!)} ${b.padStart(w[1]!)}  ${c}`);
