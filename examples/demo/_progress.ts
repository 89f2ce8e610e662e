/**
 * Progress output of the demo: on a terminal one live line per step (spinner, elapsed time, an
 * optional percentage), elsewhere one plain line when a step starts and one when it ends.
 * @module
 */

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Writes progress lines to a stream. */
export class Progress {
  #out: { writeSync(p: Uint8Array): number };
  #live: boolean;
  #encoder = new TextEncoder();

  /**
   * @param out Where to write (default stdout).
   * @param live Redraw one line per step (default: when `out` is a terminal).
   */
  constructor(out: { writeSync(p: Uint8Array): number } = Deno.stdout, live?: boolean) {
    this.#out = out;
    this.#live = live ?? Deno.stdout.isTerminal();
  }

  /** Writes one line of text. */
  line(text = ""): void {
    this.#write(`${text}\n`);
  }

  /**
   * Runs one step: shows `label` while `work` runs, then `✓ label (1.2 s)` or `✗ label`.
   *
   * @param label What happens, e.g. `Starting the ffmpeg sidecar`.
   * @param work The work; it may call `update("42%")` to show a detail.
   * @returns What `work` returned.
   * @throws Whatever `work` throws (after printing the failed step).
   */
  async step<T>(label: string, work: (update: (detail: string) => void) => Promise<T>): Promise<T> {
    const started = performance.now();
    let detail = "";
    let frame = 0;
    const draw = () => {
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      this.#write(`\r\x1b[2K  ${FRAMES[frame++ % FRAMES.length]} ${label} ${detail} (${secs} s)`);
    };
    const timer = this.#live ? setInterval(draw, 100) : undefined;
    if (!this.#live) this.#write(`  … ${label}\n`);
    try {
      const value = await work((d) => {
        detail = d;
      });
      this.#finish("✓", label, started, timer);
      return value;
    } catch (error) {
      this.#finish("✗", label, started, timer);
      throw error;
    }
  }

  #finish(
    mark: string,
    label: string,
    started: number,
    timer: ReturnType<typeof setInterval> | undefined,
  ): void {
    clearInterval(timer);
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    this.#write(`${this.#live ? "\r\x1b[2K" : ""}  ${mark} ${label} (${secs} s)\n`);
  }

  #write(text: string): void {
    this.#out.writeSync(this.#encoder.encode(text));
  }
}
