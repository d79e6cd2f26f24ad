/**
 * Kata 11, steps 11.2–11.3 (reference): counting consecutive pairs, merging
 * one pair, the training loop and encoding with learned merges.
 *
 * `trainMerges` here is the fast version of minbpe's loop: the pair counts are
 * updated where a merge changes them instead of recounted, and identical
 * chunks are trained once with a weight. It picks exactly the pairs minbpe's
 * `max(stats, key=stats.get)` picks, ties included (the pair seen first).
 *
 * @module
 */

/** A pair of token ids, `[left, right]`. */
export type Pair = readonly [number, number];

/**
 * The key of a pair in the maps of this kata: `"a,b"` (a JavaScript `Map`
 * compares arrays by identity, so `[1, 2]` cannot be a key).
 *
 * @param a the left id
 * @param b the right id
 * @returns `"a,b"`
 * @example
 * ```ts
 * import { pairKey } from "./merges.ts";
 * pairKey(101, 32); // "101,32"
 * ```
 */
export function pairKey(a: number, b: number): string {
  return `${a},${b}`;
}

/**
 * Counts every pair of consecutive ids, in the order the pairs are first
 * seen (a `Map` keeps insertion order, as a Python dict does).
 *
 * @param ids the token ids
 * @param counts a map to add to (for counting several chunks into one); a new one by default
 * @returns the counts, keyed by {@link pairKey}
 * @example
 * ```ts
 * import { getStats } from "./merges.ts";
 * getStats([1, 2, 3, 1, 2]); // Map { "1,2" => 2, "2,3" => 1, "3,1" => 1 }
 * ```
 */
export function getStats(
  ids: readonly number[],
  counts: Map<string, number> = new Map(),
): Map<string, number> {
  for (let i = 0; i + 1 < ids.length; i++) {
    const k = pairKey(ids[i], ids[i + 1]);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

/**
 * Replaces every occurrence of `pair` by `idx`, left to right, never
 * overlapping: `[5, 5, 5]` with `(5, 5) → 9` gives `[9, 5]`.
 *
 * @param ids the token ids
 * @param pair the pair to replace
 * @param idx its new id
 * @returns a new array
 * @example
 * ```ts
 * import { merge } from "./merges.ts";
 * merge([1, 2, 3, 1, 2], [1, 2], 4); // [4, 3, 4]
 * ```
 */
export function merge(ids: readonly number[], pair: Pair, idx: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    if (i + 1 < ids.length && ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(idx);
      i += 2; // both ids of the pair are used up
    } else {
      out.push(ids[i]);
      i += 1;
    }
  }
  return out;
}

/** Options of {@link trainMerges}. */
export interface TrainOptions {
  /** Print each merge as minbpe does (`merge i/n: (a, b) -> idx (…) had c occurrences`). */
  verbose?: boolean;
}

/** A numeric key for pairs of ids below 2^21 (exact in a double). */
const key = (a: number, b: number) => a * 2097152 + b;

/**
 * Learns `numMerges` merges from the chunks: each round counts the pairs
 * across all chunks (never across a chunk's end), takes the most frequent
 * (on a tie the pair seen first), gives it the next id `256 + i` and merges
 * it everywhere.
 *
 * @param chunks the byte ids of each chunk (one chunk for the basic tokenizer)
 * @param numMerges how many merges to learn
 * @param opts verbose
 * @returns the merged pairs; pair `i` became id `256 + i`
 * @example
 * ```ts
 * import { trainMerges } from "./merges.ts";
 * const bytes = [..."aaabdaaabac"].map((c) => c.charCodeAt(0));
 * trainMerges([bytes], 3); // [[97, 97], [256, 97], [257, 98]]
 * ```
 */
export function trainMerges(
  chunks: readonly (readonly number[])[],
  numMerges: number,
  opts: TrainOptions = {},
): Pair[] {
  // Identical chunks merge identically: train each distinct chunk once, weighted by how often it
  // occurs. Distinct chunks keep the order of their first occurrence, so "the first occurrence of
  // a pair" is still the smallest position in the concatenation below.
  const weights = new Map<string, number>();
  const distinct: (readonly number[])[] = [];
  for (const c of chunks) {
    const k = c.join(",");
    const w = weights.get(k);
    if (w === undefined) distinct.push(c);
    weights.set(k, (w ?? 0) + 1);
  }
  let n = 0;
  for (const c of distinct) n += c.length;
  // All distinct chunks in one doubly linked list; prev/next are -1 at a chunk's ends, so no pair
  // crosses chunks. A merge keeps the left position and unlinks the right one (ids[q] = -1).
  const ids = new Float64Array(n), prev = new Int32Array(n), next = new Int32Array(n);
  const weight = new Float64Array(n);
  let at = 0;
  for (const c of distinct) {
    const w = weights.get(c.join(","))!;
    for (let i = 0; i < c.length; i++, at++) {
      ids[at] = c[i];
      weight[at] = w;
      prev[at] = i === 0 ? -1 : at - 1;
      next[at] = i === c.length - 1 ? -1 : at + 1;
    }
  }
  // Per pair: its count (occurrences × chunk weight) and the positions where it was formed (some
  // stale after later merges: checked when read).
  const counts = new Map<number, number>();
  const where = new Map<number, number[]>();
  const add = (a: number, b: number, p: number, w: number) => {
    const k = key(a, b);
    counts.set(k, (counts.get(k) ?? 0) + w);
    const list = where.get(k);
    if (list) list.push(p);
    else where.set(k, [p]);
  };
  const sub = (a: number, b: number, w: number) => {
    const k = key(a, b);
    counts.set(k, counts.get(k)! - w);
  };
  const isAt = (p: number, a: number, b: number) =>
    ids[p] === a && next[p] !== -1 && ids[next[p]] === b;
  /** The first position where the pair still occurs (its place in minbpe's dict order). */
  const firstAt = (k: number) => {
    const a = Math.floor(k / 2097152), b = k - a * 2097152;
    let first = Infinity;
    for (const p of where.get(k)!) if (p < first && isAt(p, a, b)) first = p;
    return first;
  };
  for (let p = 0; p < n; p++) if (next[p] !== -1) add(ids[p], ids[next[p]], p, weight[p]);

  const merges: Pair[] = [];
  for (let i = 0; i < numMerges; i++) {
    let best = -1, bestCount = 0, bestFirst = Infinity;
    for (const [k, c] of counts) {
      if (c > bestCount) {
        best = k, bestCount = c, bestFirst = -1; // first position computed only on a tie
      } else if (c === bestCount && c > 0) {
        if (bestFirst === -1) bestFirst = firstAt(best);
        const f = firstAt(k);
        if (f < bestFirst) best = k, bestFirst = f;
      }
    }
    if (best === -1) break; // every chunk is a single token: nothing left to merge
    const a = Math.floor(best / 2097152), b = best - a * 2097152, idx = 256 + i;
    merges.push([a, b]);
    if (opts.verbose) console.log(`merge ${i + 1}/${numMerges}: (${a}, ${b}) -> ${idx}`);
    // Left to right, so runs like "aaa" merge as minbpe's merge() does.
    const positions = where.get(best)!.sort((x, y) => x - y);
    where.delete(best);
    counts.delete(best);
    for (const p of positions) {
      if (!isAt(p, a, b)) continue; // stale, or used up by the merge just before
      const q = next[p], l = prev[p], r = next[q], w = weight[p];
      if (l !== -1) sub(ids[l], a, w);
      if (r !== -1) sub(b, ids[r], w);
      ids[p] = idx;
      ids[q] = -1;
      next[p] = r;
      if (r !== -1) prev[r] = p;
      if (l !== -1) add(ids[l], idx, l, w);
      if (r !== -1) add(idx, ids[r], p, w);
    }
    counts.delete(best); // the subs above may have touched it again (runs of the same pair)
  }
  return merges;
}

/** A merge table for fast lookups: dense for small vocabularies, a Map keyed by number else. */
interface Table {
  size: number;
  get(a: number, b: number): number | undefined;
}

/** The tables of merge maps seen before (rebuilt when a map's size changes). */
const tables = new WeakMap<ReadonlyMap<string, number>, Table>();

function mergeTable(merges: ReadonlyMap<string, number>): Table {
  const cached = tables.get(merges);
  if (cached && cached.size === merges.size) return cached;
  const entries: [number, number, number][] = [];
  let maxId = 255;
  for (const [k, idx] of merges) {
    const comma = k.indexOf(",");
    const a = Number(k.slice(0, comma)), b = Number(k.slice(comma + 1));
    entries.push([a, b, idx]);
    maxId = Math.max(maxId, a, b);
  }
  let table: Table;
  const n = maxId + 1;
  if (n <= 2048) {
    const dense = new Int32Array(n * n).fill(-1);
    for (const [a, b, idx] of entries) dense[a * n + b] = idx;
    table = {
      size: merges.size,
      get: (a, b) => (a < n && b < n && dense[a * n + b] >= 0 ? dense[a * n + b] : undefined),
    };
  } else {
    const map = new Map<number, number>();
    for (const [a, b, idx] of entries) map.set(key(a, b), idx);
    table = { size: merges.size, get: (a, b) => map.get(key(a, b)) };
  }
  tables.set(merges, table);
  return table;
}

/**
 * Encodes byte ids with learned merges: while some pair of neighbours has a
 * merge, merges the pair with the smallest new id (the earliest merge)
 * everywhere; stops when no pair has one.
 *
 * @param ids byte ids (or already partly merged ids)
 * @param merges `pairKey(a, b) → new id`
 * @returns the token ids
 * @example
 * ```ts
 * import { applyMerges } from "./merges.ts";
 * const merges = new Map([["97,97", 256], ["256,97", 257], ["257,98", 258]]);
 * applyMerges([97, 97, 97, 98, 100], merges); // [258, 100]
 * ```
 */
export function applyMerges(ids: readonly number[], merges: ReadonlyMap<string, number>): number[] {
  const table = mergeTable(merges);
  const out = ids.slice();
  let len = out.length;
  while (len >= 2) {
    let best = Infinity, a = 0, b = 0;
    for (let i = 0; i + 1 < len; i++) {
      const idx = table.get(out[i], out[i + 1]);
      if (idx !== undefined && idx < best) best = idx, a = out[i], b = out[i + 1];
    }
    if (best === Infinity) break;
    let w = 0;
    for (let i = 0; i < len; i++) {
      if (i + 1 < len && out[i] === a && out[i + 1] === b) out[w++] = best, i++;
      else out[w++] = out[i];
    }
    len = w;
  }
  out.length = len;
  return out;
}
