/**
 * Byte-level BPE training with incremental pair counts and a priority
 * queue. Each merge touches only the places where the merged pair occurs, so
 * training costs about O(text + merges · log pairs) instead of minbpe's full
 * recount per merge; the merges are the same as minbpe's, ties included: among
 * equally frequent pairs the one that occurs first in the current token
 * sequence wins (Python's `max` over a dict in first-insertion order).
 *
 * Why the first occurrence is cheap to keep: a merge `(a, b) → z` only creates
 * pairs that contain `z`, so every pair's positions are all recorded in one
 * left-to-right pass, in increasing order, and afterwards only disappear.
 * A pointer into that sorted list, moved past dead entries, gives the first.
 *
 * @module
 */

import { PairQueue, PairStats } from "./pair_stats.ts";

/** Options of {@link trainMerges}. */
export interface TrainOptions {
  /** The final vocabulary size: 256 byte tokens plus `vocabSize - 256` merges. */
  vocabSize: number;
  /**
   * A split pattern (source of a `u` regular expression, e.g.
   * {@link GPT4_SPLIT_PATTERN}): pairs never cross the chunks it matches.
   * Without one the text is one chunk (minbpe's `BasicTokenizer`).
   */
  pattern?: string;
}

/**
 * Learns `vocabSize - 256` merges from `text`; merge `i` makes token `256 + i`.
 *
 * @param text the training text
 * @param options the vocabulary size and an optional split pattern
 * @returns the merges in order, each `[left id, right id]`
 * @throws {RangeError} for a vocabulary size below 256 or not an integer
 * @example The Wikipedia example: "aaabdaaabac", three merges
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { trainMerges } from "./train.ts";
 * deepEqual(trainMerges("aaabdaaabac", { vocabSize: 259 }), [[97, 97], [256, 97], [257, 98]]);
 * ```
 */
export function trainMerges(text: string, options: TrainOptions): Array<[number, number]> {
  const { vocabSize, pattern } = options;
  if (!Number.isInteger(vocabSize) || vocabSize < 256) {
    throw new RangeError(
      `Cannot train: vocabSize must be an integer ≥ 256 (the byte tokens), got ${vocabSize}`,
    );
  }
  const { ids, next, prev } = chunkedBytes(text, pattern);
  const n = ids.length;
  const pairs = new PairStats(n);
  const valid = (s: number, p: number) => {
    if (ids[p] !== pairs.a[s]) return false;
    const q = next[p];
    return q >= 0 && ids[q] === pairs.b[s];
  };
  /** The first live position of pair `s` (-1 when none), dropping dead ones. */
  const firstOf = (s: number): number => {
    const pool = pairs.pool;
    let h = pairs.head[s];
    while (h >= 0 && !valid(s, pool.value[h])) h = pool.next[h];
    pairs.head[s] = h;
    return h >= 0 ? pool.value[h] : -1;
  };

  for (let p = 0; p < n; p++) if (next[p] >= 0) pairs.add(ids[p], ids[next[p]], p);
  const queue = new PairQueue();
  const flush = () => {
    const t = pairs.touched;
    for (let i = 0; i < t.length; i++) {
      const s = t[i];
      pairs.isTouched[s] = 0;
      if (pairs.count[s] > 0) queue.push(s, pairs.count[s], firstOf(s));
    }
    t.length = 0;
  };
  flush();

  const merges: Array<[number, number]> = [];
  for (let z = 256; z < vocabSize; z++) {
    let best = -1;
    while (queue.size > 0) {
      const s = queue.topStat, count = queue.topCount, first = queue.topFirst;
      queue.pop();
      if (pairs.count[s] <= 0) continue;
      const actual = firstOf(s);
      if (count === pairs.count[s] && first === actual) {
        best = s;
        break;
      }
      queue.push(s, pairs.count[s], actual);
    }
    if (best < 0) break; // nothing left to merge
    const a = pairs.a[best], b = pairs.b[best];
    merges.push([a, b]);
    const pool = pairs.pool;
    for (let h = pairs.head[best]; h >= 0; h = pool.next[h]) {
      const p = pool.value[h];
      if (!valid(best, p)) continue;
      const q = next[p], L = prev[p], R = next[q];
      if (L >= 0) pairs.remove(ids[L], a);
      if (R >= 0) pairs.remove(b, ids[R]);
      pairs.count[best]--;
      ids[p] = z;
      ids[q] = -1;
      next[p] = R;
      if (R >= 0) prev[R] = p;
      if (L >= 0) pairs.add(ids[L], z, L);
      if (R >= 0) pairs.add(z, ids[R], p);
    }
    pairs.head[best] = -1;
    flush();
  }
  return merges;
}

/** The UTF-8 bytes of the chunks as a linked list; -1 links end a chunk. */
function chunkedBytes(
  text: string,
  pattern: string | undefined,
): { ids: Int32Array; next: Int32Array; prev: Int32Array } {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(text.length * 3);
  const ends: number[] = [];
  let n = 0;
  if (pattern === undefined) {
    n = encoder.encodeInto(text, buffer).written;
    ends.push(n);
  } else {
    const re = new RegExp(pattern, "gu");
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      n += encoder.encodeInto(m[0], buffer.subarray(n)).written;
      ends.push(n);
    }
  }
  const ids = new Int32Array(n), next = new Int32Array(n), prev = new Int32Array(n);
  let start = 0;
  for (const end of ends) {
    for (let p = start; p < end; p++) {
      ids[p] = buffer[p];
      next[p] = p + 1 < end ? p + 1 : -1;
      prev[p] = p > start ? p - 1 : -1;
    }
    start = end;
  }
  return { ids, next, prev };
}
