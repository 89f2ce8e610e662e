/**
 * The readable summary printed at the end of the demo.
 * @module
 */
import type { RunResult } from "../../engine/run/types.ts";

/** What the summary needs besides the run result. */
export interface SummaryFacts {
  /** Sample video length in seconds. */
  videoSeconds: number;
  /** Sample video size in bytes. */
  videoBytes: number;
  /** Real path of the sample video. */
  videoFile: string;
  /** The engine's real shared directory (to turn `/shared/...` into real paths). */
  sharedDir: string;
  /** `config.fps` of the workflow. */
  fps: number;
}

interface Analysis {
  frameCount: number;
  width: number;
  height: number;
  framesDir: string | null;
  meanBrightness: number;
  brightest: { index: number; atSeconds: number; brightness: number } | null;
  darkest: { index: number; atSeconds: number; brightness: number } | null;
  sceneChanges: { index: number; atSeconds: number; change: number }[];
}

/**
 * Formats the summary: what was extracted and where, the realtime factor, the analysis and the
 * per-node timings (with errors when the run failed).
 *
 * @param result The engine's RunResult.
 * @param facts Video facts and the shared directory.
 * @returns Lines of text.
 * @example
 * ```ts ignore
 * console.log(formatSummary(result, facts).join("\n"));
 * ```
 */
export function formatSummary(result: RunResult, facts: SummaryFacts): string[] {
  const lines = [
    `Run ${result.runId} ${result.success ? "succeeded" : "FAILED"} in ${
      secs(result.timing.durationMs)
    }`,
    "",
  ];
  const mb = (facts.videoBytes / 1e6).toFixed(1);
  lines.push(
    row("Sample video", `${facts.videoSeconds} s, 1280×720 H.264, ${mb} MB: ${facts.videoFile}`),
  );
  const a = result.outputs["analyze-frames"] as Analysis | undefined;
  const extract = result.nodes["extract-frames"];
  if (a) {
    const dir = a.framesDir ? facts.sharedDir + a.framesDir.slice("/shared".length) : "(none)";
    lines.push(
      row("Frames", `${a.frameCount} extracted at ${facts.fps} fps, ${a.width}×${a.height} JPEG`),
    );
    lines.push(row("Frames are in", `${dir}/`));
  }
  if (extract?.status === "ok" && extract.durationMs > 0) {
    const factor = (facts.videoSeconds * 1000) / extract.durationMs;
    lines.push(row(
      "Realtime factor",
      `${factor.toFixed(1)}× (${facts.videoSeconds} s of video in ${secs(extract.durationMs)}, ` +
        "extract-frames via the ffmpeg sidecar)",
    ));
  }
  if (a?.brightest && a.darkest) {
    lines.push(row(
      "Brightness",
      `mean ${a.meanBrightness.toFixed(1)}/255; darkest frame ${a.darkest.index} ` +
        `(${a.darkest.atSeconds} s) ${a.darkest.brightness.toFixed(1)}, brightest frame ` +
        `${a.brightest.index} (${a.brightest.atSeconds} s) ${a.brightest.brightness.toFixed(1)}`,
    ));
    const cuts = a.sceneChanges.map((s) =>
      `frame ${s.index} at ${s.atSeconds} s (${s.change.toFixed(2)})`
    );
    lines.push(row("Scene changes", cuts.length > 0 ? cuts.join(", ") : "none"));
  }
  lines.push("", `  ${"node".padEnd(16)}${"status".padEnd(10)}${"attempts".padEnd(10)}time`);
  for (const [name, node] of Object.entries(result.nodes)) {
    lines.push(
      `  ${name.padEnd(16)}${node.status.padEnd(10)}${String(node.attempts).padEnd(10)}${
        secs(node.durationMs)
      }`,
    );
    if (node.error) lines.push(`    ↳ ${node.error}`);
  }
  return lines;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(17)}${value}`;
}

function secs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
