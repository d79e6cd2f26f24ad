/**
 * tiktoken's rank files (`cl100k_base.tiktoken`, `r50k_base.tiktoken`): one
 * token per line, its bytes in base64, a space, and its rank. Ranks are the
 * token ids and run 0, 1, 2, … in file order.
 *
 * @module
 */

import { TokenizerFileError } from "./errors.ts";
import { TokenIndex } from "./token_index.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;

/**
 * Parses a tiktoken rank file into the token bytes, indexed by rank.
 *
 * @param text the file's text
 * @param source the file name, for error messages
 * @returns `tokens[rank]` = the bytes of the token with that rank
 * @throws {TokenizerFileError} naming the line of a malformed entry: no space, bad
 *   base64, a rank that is not the next one, or a token seen before
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parseRankFile } from "./rank_file.ts";
 * const tokens = parseRankFile("IQ== 0\nIg== 1\nIHQ= 2\n");
 * deepEqual(tokens.map((t) => [...t]), [[33], [34], [32, 116]]);
 * ```
 */
export function parseRankFile(text: string, source = "rank file"): Uint8Array[] {
  if (typeof text !== "string") {
    throw new TypeError(`parseRankFile: text must be a string, got ${typeof text}`);
  }
  const tokens: Uint8Array[] = [];
  const lines: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.charCodeAt(end - 1) === 13
      ? text.slice(start, end - 1)
      : text.slice(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    const space = line.indexOf(" ");
    if (space <= 0 || line.indexOf(" ", space + 1) >= 0) {
      throw new TokenizerFileError(
        source,
        lineNo,
        `expected "<base64 token> <rank>", got ${JSON.stringify(line.slice(0, 60))}`,
      );
    }
    const rankText = line.slice(space + 1);
    const rank = parseRank(rankText);
    if (rank !== tokens.length) {
      throw new TokenizerFileError(
        source,
        lineNo,
        Number.isNaN(rank)
          ? `rank ${JSON.stringify(rankText)} is not a non-negative integer`
          : `rank ${rank} is out of order: expected ${tokens.length}`,
      );
    }
    const b64 = line.slice(0, space);
    const bytes = decodeBase64(b64);
    if (!bytes || bytes.length === 0) {
      throw new TokenizerFileError(source, lineNo, `${JSON.stringify(b64)} is not valid base64`);
    }
    tokens.push(bytes);
    lines.push(lineNo);
  }
  if (tokens.length === 0) throw new TokenizerFileError(source, 1, "the file has no tokens");
  const index = new TokenIndex(tokens);
  for (let r = 0; r < tokens.length; r++) {
    const first = index.find(tokens[r], 0, tokens[r].length);
    if (first !== r) {
      throw new TokenizerFileError(
        source,
        lines[r],
        `token ${encodeBase64(tokens[r])} appears a second time (first on line ${lines[first]})`,
      );
    }
  }
  return tokens;
}

/**
 * Writes token bytes (indexed by rank) in tiktoken's rank-file format.
 *
 * @param tokens the token bytes, `tokens[rank]`
 * @returns the file's text, one `"<base64> <rank>\n"` line per token
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { formatRankFile } from "./rank_file.ts";
 * equal(formatRankFile([new Uint8Array([33]), new Uint8Array([32, 116])]), "IQ== 0\nIHQ= 1\n");
 * ```
 */
export function formatRankFile(tokens: readonly Uint8Array[]): string {
  const lines: string[] = [];
  for (let r = 0; r < tokens.length; r++) lines.push(`${encodeBase64(tokens[r])} ${r}\n`);
  return lines.join("");
}

/** A non-negative decimal integer, or NaN. */
function parseRank(s: string): number {
  if (s.length === 0 || s.length > 15) return NaN;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/** Strict base64 (padded, standard alphabet); `undefined` when malformed. */
function decodeBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  let pad = 0;
  if (s.endsWith("==")) pad = 2;
  else if (s.endsWith("=")) pad = 1;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = s.charCodeAt(i + k);
      if (last && k >= 4 - pad) {
        if (c !== 61) return undefined;
        n <<= 6;
        continue;
      }
      const x = c < 128 ? B64_VALUE[c] : -1;
      if (x < 0) return undefined;
      n = (n << 6) | x;
    }
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function encodeBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += B64[n >> 18] + B64[(n >> 12) & 63];
    s += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    s += i + 2 < bytes.length ? B64[n & 63] : "=";
  }
  return s;
}
