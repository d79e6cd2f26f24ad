/**
 * Kata 11, steps 11.2–11.3: counting consecutive pairs, merging one pair,
 * the training loop (minbpe's `train`) and encoding with learned merges.
 * Replace every `todo(...)` with your code; `deno test katas/11` tells you
 * what to do next.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";

/** A pair of token ids, `[left, right]`. */
export type Pair = readonly [number, number];

/**
 * The key of a pair in the maps of this kata: `"a,b"` (a JavaScript `Map`
 * compares arrays by identity, so `[1, 2]` cannot be a key). Given.
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
 * ```ts ignore
 * getStats([1, 2, 3, 1, 2]); // Map { "1,2" => 2, "2,3" => 1, "3,1" => 1 }
 * ```
 */
export function getStats(
  ids: readonly number[],
  counts: Map<string, number> = new Map(),
): Map<string, number> {
  return todo("11.2", "getStats: count each (ids[i], ids[i+1]) into counts, and return counts");
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
 * ```ts ignore
 * merge([1, 2, 3, 1, 2], [1, 2], 4); // [4, 3, 4]
 * ```
 */
export function merge(ids: readonly number[], pair: Pair, idx: number): number[] {
  return todo("11.2", "merge: a new array with each (pair[0], pair[1]) replaced by idx");
}

/** Options of {@link trainMerges}. */
export interface TrainOptions {
  /** Print each merge as minbpe does (`merge i/n: (a, b) -> idx`). */
  verbose?: boolean;
}

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
 * ```ts ignore
 * const bytes = [..."aaabdaaabac"].map((c) => c.charCodeAt(0));
 * trainMerges([bytes], 3); // [[97, 97], [256, 97], [257, 98]]
 * ```
 */
export function trainMerges(
  chunks: readonly (readonly number[])[],
  numMerges: number,
  opts: TrainOptions = {},
): Pair[] {
  return todo("11.3", "trainMerges: numMerges rounds of getStats over all chunks, max, merge");
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
 * ```ts ignore
 * const merges = new Map([["97,97", 256], ["256,97", 257], ["257,98", 258]]);
 * applyMerges([97, 97, 97, 98, 100], merges); // [258, 100]
 * ```
 */
export function applyMerges(ids: readonly number[], merges: ReadonlyMap<string, number>): number[] {
  return todo("11.3", "applyMerges: merge the pair with the lowest merge id until none is left");
}
