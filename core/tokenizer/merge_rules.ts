/**
 * Building the merge rules (the token of each byte, and the pair table
 * `(left, right) → merged`) from either source: minbpe's merge list, or a
 * tiktoken encoding's ranks. From ranks every split of every token into two
 * tokens `(prefix, suffix) → token` is entered: that is tiktoken's own rule
 * (two adjacent parts merge when their bytes together are a token, lowest
 * rank first), so encodings are the same for any rank file, not only
 * BPE-trained ones.
 *
 * @module
 */

import type { MergeRules } from "./byte_pair_merge.ts";
import { PairTable } from "./pair_table.ts";
import { splitHashes, TokenIndex } from "./token_index.ts";

/**
 * Builds the merge rules of ranked tokens (`tokens[rank]` = bytes; rank = id).
 *
 * @param tokens the token bytes by rank
 * @returns the byte tokens and the pair table
 * @throws {RangeError} when a byte has no token
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { mergeRulesFromRanks } from "./merge_rules.ts";
 * const bytes = Array.from({ length: 256 }, (_, b) => new Uint8Array([b]));
 * const rules = mergeRulesFromRanks([...bytes, new Uint8Array([104, 105])]);
 * equal(rules.pairs.get(104, 105), 256);
 * ```
 */
export function mergeRulesFromRanks(tokens: readonly Uint8Array[]): MergeRules {
  const index = new TokenIndex(tokens);
  const byteToId = new Int32Array(256);
  const one = new Uint8Array(1);
  for (let b = 0; b < 256; b++) {
    one[0] = b;
    const id = index.find(one, 0, 1);
    if (id < 0) throw new RangeError(`Cannot build tokenizer from ranks: byte ${b} has no token`);
    byteToId[b] = id;
  }
  const pairs = new PairTable(tokens.length * 4);
  let prefix = new Int32Array(64), suffix = new Int32Array(64);
  for (let r = 0; r < tokens.length; r++) {
    const t = tokens[r];
    if (t.length < 2) continue;
    if (prefix.length <= t.length) {
      prefix = new Int32Array(t.length * 2);
      suffix = new Int32Array(t.length * 2);
    }
    splitHashes(t, prefix, suffix);
    for (let s = 1; s < t.length; s++) {
      const left = index.find(t, 0, s, prefix[s]);
      if (left < 0) continue;
      const right = index.find(t, s, t.length, suffix[s]);
      if (right >= 0) pairs.set(left, right, r);
    }
  }
  return { byteToId, pairs };
}

/**
 * Builds the tokens and merge rules of minbpe-style merges: merge `i` joins
 * `[left, right]` into token `256 + i`; tokens 0…255 are the bytes.
 *
 * @param merges the merges in order
 * @returns the token bytes by id and the merge rules
 * @throws {RangeError} when a merge names a token that does not exist yet
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { mergeRulesFromMerges } from "./merge_rules.ts";
 * const { tokens, rules } = mergeRulesFromMerges([[104, 105]]);
 * equal(new TextDecoder().decode(tokens[256]), "hi");
 * equal(rules.pairs.get(104, 105), 256);
 * ```
 */
export function mergeRulesFromMerges(
  merges: ReadonlyArray<readonly [number, number]>,
): { tokens: Uint8Array[]; rules: MergeRules } {
  const tokens: Uint8Array[] = [];
  for (let b = 0; b < 256; b++) tokens.push(new Uint8Array([b]));
  const pairs = new PairTable(merges.length);
  merges.forEach(([a, b], i) => {
    const id = 256 + i;
    for (const part of [a, b]) {
      if (!Number.isInteger(part) || part < 0 || part >= id) {
        throw new RangeError(
          `Cannot build tokenizer: merge ${i} ([${a}, ${b}] → ${id}) names token ${part}, ` +
            `which is not one of the ${id} tokens made before it`,
        );
      }
    }
    const t = new Uint8Array(tokens[a].length + tokens[b].length);
    t.set(tokens[a]);
    t.set(tokens[b], tokens[a].length);
    tokens.push(t);
    if (pairs.get(a, b) < 0) pairs.set(a, b, id);
  });
  const byteToId = new Int32Array(256).map((_, i) => i);
  return { tokens, rules: { byteToId, pairs } };
}
