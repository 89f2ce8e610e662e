const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
/** What a duration looks like (a non-zero value is checked separately). */
export const DURATION_PATTERN = /^(?:\d+(?:ms|s|m|h))+$/;
const PART = /(\d+)(ms|s|m|h)/g;

/** The duration formats accepted in workflow.yaml, for error messages. */
export const DURATION_HELP = 'a duration like "500ms", "30s", "5m", "1h" or "1m30s"';

/**
 * Parses a workflow duration such as `300s`, `5m` or `1m30s` into milliseconds.
 *
 * @param text The duration text.
 * @returns The duration in milliseconds.
 * @throws {SyntaxError} When the text is not a duration or is zero.
 * @example
 * ```ts
 * import { parseDuration } from "./duration.ts";
 * console.assert(parseDuration("1m30s") === 90_000);
 * ```
 */
export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text)) {
    throw new SyntaxError(`invalid duration "${text}": expected ${DURATION_HELP}`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (ms <= 0) throw new SyntaxError(`invalid duration "${text}": must be greater than zero`);
  return ms;
}

/**
 * Tells whether `text` is a valid, non-zero workflow duration.
 *
 * @param text The text to check.
 * @returns `true` when {@linkcode parseDuration} would accept it.
 * @example
 * ```ts
 * import { isDuration } from "./duration.ts";
 * console.assert(isDuration("300s") && !isDuration("300"));
 * ```
 */
export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}
