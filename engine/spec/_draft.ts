import type { SpecPath } from "./errors.ts";

/** An issue before it has a position: rules produce these, validate() places them. */
export interface SpecIssueDraft {
  message: string;
  path: SpecPath;
  /** Point at the key rather than the value (for unknown keys). */
  atKey?: boolean;
}
