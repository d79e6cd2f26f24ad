/**
 * Kata 04's data: the 32,033 names of names.txt (`loadDataset("names")`: from
 * `$KATAGRAD_DATA`, the user cache, or downloaded once) and PyTorch's numbers for
 * the same code (testdata/lectures/makemore.json, from testdata/gen_lectures.py).
 *
 * @module
 */

import { CharVocab, loadDataset, type Tensor } from "../../mod.ts";
import { bigrams, countMatrix } from "../../bench/reproduce/makemore_bigram.ts";
import makemore from "../../testdata/lectures/makemore.json" with { type: "json" };

let cached: string[] | undefined;

/** The names of names.txt, one word per line, read once per test file. */
export async function loadWords(): Promise<string[]> {
  cached ??= (await loadDataset("names")).split("\n").filter((w) => w.length > 0);
  return cached;
}

/** PyTorch running the lecture's code: counts, NLLs, 20 sampled names, neural losses. */
export const torchBigram: {
  N_row0: number[];
  nll_unsmoothed_f64: number;
  nll_smoothed_f64: number;
  names: string[];
  neural_losses: number[];
  neural_loss_100: number;
} = makemore.bigram;

/**
 * names.txt's 228,146 bigrams and their counts, built by the library's version of
 * steps 04.1–04.3 (bench/reproduce/makemore_bigram.ts), so that the neural steps'
 * tests stand on their own.
 */
export async function namesBigrams(): Promise<
  { xs: Tensor; ys: Tensor; N: Tensor; itos: string[] }
> {
  const words = await loadWords();
  const vocab = CharVocab.fromText(words.join(""), { boundary: "." });
  const b = bigrams(words, vocab);
  return { ...b, N: countMatrix(b), itos: [...vocab.itos] };
}
