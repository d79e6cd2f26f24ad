/**
 * The GPT-2 and GPT-4 split patterns as JavaScript regular expressions (use
 * them with the `gu` flags). The originals (tiktoken's `r50k_base` and
 * `cl100k_base`, minbpe's `GPT2_SPLIT_PATTERN` / `GPT4_SPLIT_PATTERN`) are
 * written for Rust's and Python's regex engines; three things change here,
 * and the parity tests check that the splits stay the same:
 *
 * - `\s` becomes `\p{White_Space}`: JavaScript's `\s` also matches U+FEFF and
 *   misses U+0085, where the Rust engine behind tiktoken follows the Unicode
 *   White_Space property.
 * - The possessive quantifiers (`?+`, `++`) become plain ones: in both places
 *   the next part of the pattern cannot match what backtracking would give
 *   back, so the first match found is the same.
 * - The case-insensitive group `(?i:[sdmt]|ll|ve|re)` becomes explicit case
 *   alternatives, with `ſ` (U+017F, which folds to `s`) beside `s` and `S`.
 *
 * @module
 */

const WS = String.raw`\p{White_Space}`;
const NOT_WS = String.raw`\P{White_Space}`;

/**
 * GPT-2's split pattern (tiktoken `r50k_base`), for `new RegExp(p, "gu")`:
 * contractions, letters, numbers and punctuation each with an optional
 * leading space, then whitespace.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { GPT2_SPLIT_PATTERN } from "./split_patterns.ts";
 * const chunks = "Hello world's 123!!".match(new RegExp(GPT2_SPLIT_PATTERN, "gu"));
 * deepEqual(chunks, ["Hello", " world", "'s", " 123", "!!"]);
 * ```
 */
export const GPT2_SPLIT_PATTERN: string = String
  .raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^${WS}\p{L}\p{N}]+|${WS}+(?!${NOT_WS})|${WS}+`;

/**
 * GPT-4's split pattern (tiktoken `cl100k_base`), for `new RegExp(p, "gu")`:
 * case-insensitive contractions, letters with one optional leading
 * non-letter, numbers in groups of at most three digits, punctuation, and
 * whitespace with newlines kept apart.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { GPT4_SPLIT_PATTERN } from "./split_patterns.ts";
 * const chunks = "HE'LL pay 12345!!\n\n".match(new RegExp(GPT4_SPLIT_PATTERN, "gu"));
 * deepEqual(chunks, ["HE", "'LL", " pay", " ", "123", "45", "!!\n\n"]);
 * ```
 */
export const GPT4_SPLIT_PATTERN: string = String
  .raw`'(?:[sS\u017F]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^${WS}\p{L}\p{N}]+[\r\n]*|${WS}*[\r\n]|${WS}+(?!${NOT_WS})|${WS}+`;
