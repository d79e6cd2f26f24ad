/**
 * What the lecture tests share: the PyTorch fixture of the lectures
 * (testdata/lectures/makemore.json, from testdata/gen_lectures.py), the
 * makemore split when names.txt is at hand, and a windowed mean of losses.
 *
 * @module
 */

import { DatasetNotFoundError } from "../../mod.ts";
import { loadMakemoreSplit, type MakemoreSplit } from "./makemore_mlp.ts";

/**
 * One section of the lectures' fixture (`bigram`, `mlp`, `mlp_nn`, ...).
 *
 * @param section the key in makemore.json
 * @returns the section, typed by the caller
 */
export function lectureFixture<T>(section: string): T {
  const url = new URL("../../testdata/lectures/makemore.json", import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url))[section] as T;
}

/**
 * The makemore split with block size 3, or null (and a suffix for test names) when
 * names.txt is not found, so the tests say they were skipped and why.
 *
 * @returns the split (or null) and the test-name suffix
 */
export async function makemoreSplitOrSkip(): Promise<{ data: MakemoreSplit | null; skip: string }> {
  try {
    return { data: await loadMakemoreSplit(3, { download: false }), skip: "" };
  } catch (e) {
    if (!(e instanceof DatasetNotFoundError)) throw e;
    return { data: null, skip: " (skipped: names.txt not found; set KATAGRAD_DATA)" };
  }
}

/**
 * The mean of `a[from, to)`.
 *
 * @param a the values
 * @param from first index
 * @param to end index (exclusive)
 * @returns the mean
 */
export function mean(a: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}
