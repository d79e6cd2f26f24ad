/**
 * Byte-pair encoding of one chunk: start from one token per byte and merge,
 * again and again, the adjacent pair whose merged token has the lowest id
 * (the leftmost such pair on ties) until no adjacent pair can merge. This is
 * tiktoken's rule and minbpe's (whose merged ids grow with merge order).
 * Short chunks use a plain array scan; long ones a heap over a linked list,
 * so a chunk of 100,000 spaces stays fast.
 *
 * @module
 */

import type { PairTable } from "./pair_table.ts";

/** The merge rules: the token of each byte, and `(left, right) → merged`. */
export interface MergeRules {
  /** `byteToId[b]` = the id of the token made of the single byte `b`. */
  readonly byteToId: Int32Array;
  /** `(left id, right id) → merged id`; the lowest merged id merges first. */
  readonly pairs: PairTable;
}

const SHORT = 48;

/** The most regular tokens the merge loop supports (ids < 2^21 keep its heap keys exact). */
export const MAX_TOKENS = 1 << 21;
const scratchIds = new Int32Array(SHORT);
const scratchRanks = new Int32Array(SHORT);
const NONE = 0x7fffffff;

/**
 * Encodes `bytes[start, end)` and appends the token ids to `out`.
 *
 * @param rules the byte tokens and merge table
 * @param bytes the UTF-8 bytes
 * @param start the chunk's first byte
 * @param end one past its last byte
 * @param out where the ids are appended
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { bytePairMerge } from "./byte_pair_merge.ts";
 * import { PairTable } from "./pair_table.ts";
 * const pairs = new PairTable();
 * pairs.set(97, 97, 256); // "aa"
 * pairs.set(256, 97, 257); // "aaa"
 * const byteToId = new Int32Array(256).map((_, i) => i);
 * const out: number[] = [];
 * bytePairMerge({ byteToId, pairs }, new Uint8Array([97, 97, 97, 97, 98]), 0, 5, out);
 * deepEqual(out, [256, 256, 98]); // (a,a) merges left to right before (aa,a)
 * ```
 */
export function bytePairMerge(
  rules: MergeRules,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: number[],
): void {
  const n = end - start;
  if (n === 1) {
    out.push(rules.byteToId[bytes[start]]);
    return;
  }
  if (n > SHORT) return mergeLong(rules, bytes, start, end, out);
  const ids = scratchIds, ranks = scratchRanks, pairs = rules.pairs, b2i = rules.byteToId;
  for (let i = 0; i < n; i++) ids[i] = b2i[bytes[start + i]];
  let len = n;
  for (let i = 0; i < len - 1; i++) {
    const r = pairs.get(ids[i], ids[i + 1]);
    ranks[i] = r < 0 ? NONE : r;
  }
  while (len > 1) {
    let best = NONE, at = -1;
    for (let i = 0; i < len - 1; i++) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = best;
    for (let i = at + 1; i < len - 1; i++) {
      ids[i] = ids[i + 1];
      ranks[i] = ranks[i + 1];
    }
    len--;
    if (at > 0) {
      const r = pairs.get(ids[at - 1], ids[at]);
      ranks[at - 1] = r < 0 ? NONE : r;
    }
    if (at < len - 1) {
      const r = pairs.get(ids[at], ids[at + 1]);
      ranks[at] = r < 0 ? NONE : r;
    }
  }
  for (let i = 0; i < len; i++) out.push(ids[i]);
}

/** The heap variant: O(n log n) for chunks longer than {@link SHORT} bytes. */
function mergeLong(
  rules: MergeRules,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: number[],
): void {
  const n = end - start, pairs = rules.pairs;
  const ids = new Int32Array(n), next = new Int32Array(n), prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = rules.byteToId[bytes[start + i]];
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // keys: rank * 2^32 + position, exact in a double for rank < 2^21 (MAX_TOKENS)
  const heap: number[] = [];
  const push = (key: number) => {
    let i = heap.length;
    heap.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p] <= key) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = key;
  };
  const pop = (): number => {
    const top = heap[0], last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const m = heap.length;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && heap[c + 1] < heap[c]) c++;
        if (heap[c] >= last) break;
        heap[i] = heap[c];
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  const SHIFT = 4294967296;
  for (let i = 0; i + 1 < n; i++) {
    const r = pairs.get(ids[i], ids[i + 1]);
    if (r >= 0) push(r * SHIFT + i);
  }
  while (heap.length > 0) {
    const key = pop();
    const rank = Math.floor(key / SHIFT), i = key - rank * SHIFT;
    const j = next[i];
    if (ids[i] < 0 || j < 0 || pairs.get(ids[i], ids[j]) !== rank) continue; // stale
    ids[i] = rank;
    ids[j] = -1;
    const k = next[j];
    next[i] = k;
    if (k >= 0) prev[k] = i;
    const p = prev[i];
    if (p >= 0) {
      const r = pairs.get(ids[p], rank);
      if (r >= 0) push(r * SHIFT + p);
    }
    if (k >= 0) {
      const r = pairs.get(rank, ids[k]);
      if (r >= 0) push(r * SHIFT + i);
    }
  }
  for (let i = 0; i >= 0; i = next[i]) out.push(ids[i]);
}
