/**
 * Kata 11's oracle for GPT-4: tiktoken's `cl100k_base` from the pinned npm
 * package js-tiktoken (test-only; a JavaScript port of OpenAI's tiktoken).
 *
 * `cl100kRanks()` is the rank table your `GPT4Tokenizer` starts from (in minbpe,
 * `tiktoken.get_encoding("cl100k_base")._mergeable_ranks`), and `tiktoken` is
 * `cl100kTiktoken()` the encoder whose ids yours must equal. The rank table is read from the npm
 * package's compressed copy of `cl100k_base.tiktoken` (lines of
 * `<first token> <first rank> <base64 token> …`, ranks counting up along a
 * line), so the kata needs no download.
 *
 * @module
 */

import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";

let ranks: ReadonlyMap<string, number> | undefined;
let encoder: Tiktoken | undefined;

/**
 * Token bytes (a binary string, one character per byte) → rank, in rank order. Built on first
 * use (about half a second), so the tests that never reach step 11.9 do not pay for it.
 *
 * @returns the rank table
 */
export function cl100kRanks(): ReadonlyMap<string, number> {
  return ranks ??= readRanks(cl100k.bpe_ranks);
}

/**
 * tiktoken's cl100k_base encoder (js-tiktoken), built on first use like {@link cl100kRanks}.
 *
 * @returns the encoder
 */
export function cl100kTiktoken(): Tiktoken {
  return encoder ??= new Tiktoken(cl100k);
}

/** GPT-4's split pattern as tiktoken writes it for JavaScript (js-tiktoken's `pat_str`). */
export const TIKTOKEN_GPT4_PATTERN: RegExp = new RegExp(cl100k.pat_str, "gu");

function readRanks(text: string): Map<string, number> {
  const ranks: [string, number][] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [_first, offset, ...tokens] = line.split(" ");
    tokens.forEach((t, i) => ranks.push([atob(t), Number(offset) + i]));
  }
  ranks.sort((a, b) => a[1] - b[1]);
  return new Map(ranks);
}

/** GPT-2's split pattern as tiktoken writes it (OpenAI's `encoder.py`, js-tiktoken's `r50k_base`). */
export const TIKTOKEN_GPT2_PATTERN: RegExp =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
