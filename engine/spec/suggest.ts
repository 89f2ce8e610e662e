/**
 * Finds the candidate closest to `word` by edit distance, for "did you mean" hints.
 *
 * @param word The misspelt word.
 * @param candidates The words that would have been accepted.
 * @returns The closest candidate within a distance of a third of the longer word (at least 1),
 * or `undefined` when nothing is close.
 * @example
 * ```ts
 * import { closest } from "./suggest.ts";
 * console.assert(closest("sidecar", ["nodes", "sidecars", "edges"]) === "sidecars");
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort()) {
    const w = word.toLowerCase();
    const c = candidate.toLowerCase();
    // A prefix of at least three letters is as good as a one-letter typo ("openai" → "openai-api").
    const d = w.length >= 3 && (c.startsWith(w) || w.startsWith(c)) ? 1 : editDistance(w, c);
    const limit = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (d <= limit && d < word.length && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Edit distance between two strings: insert, delete, substitute and swap of two neighbours
 * each cost 1 (optimal string alignment), so `hots` is one edit from `host`.
 *
 * @param a First string.
 * @param b Second string.
 * @returns The number of edits turning `a` into `b`.
 * @example
 * ```ts
 * import { editDistance } from "./suggest.ts";
 * console.assert(editDistance("heathPath", "healthPath") === 1);
 * console.assert(editDistance("hots", "host") === 1);
 * ```
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}
