/**
 * Kata 04 reference solution, steps 04.1–04.6: the bigram language model by
 * counting (makemore part 1, first half).
 *
 * @module
 */

import {
  type Generator,
  index,
  indexPut_,
  multinomial,
  type Tensor,
  tensor,
  zeros,
} from "../../mod.ts";

/** The character vocabulary: `.` at 0, then the letters in sorted order. */
export interface Vocab {
  /** Character → index (`stoi["."] === 0`, `stoi["a"] === 1` for names.txt). */
  stoi: Record<string, number>;
  /** Index → character (`itos[0] === "."`). */
  itos: string[];
}

/**
 * `chars = sorted(set("".join(words)))`; `stoi = {s: i + 1}`; `stoi["."] = 0`.
 *
 * @param words the words (lowercase names)
 * @returns `stoi` and `itos`, `.` at index 0
 */
export function buildVocab(words: readonly string[]): Vocab {
  const chars = [...new Set(words.join(""))].sort();
  const itos = [".", ...chars];
  const stoi: Record<string, number> = {};
  itos.forEach((s, i) => (stoi[s] = i));
  return { stoi, itos };
}

/** Every bigram of a list of words, as two int32 index tensors of the same length. */
export interface Bigrams {
  /** The first character of each bigram. */
  xs: Tensor;
  /** The character that follows it. */
  ys: Tensor;
}

/**
 * Every bigram of every word, with `.` before and after each word:
 * `"emma"` → `.e em mm ma a.`.
 *
 * @param words the words
 * @param stoi character → index
 * @returns `xs` and `ys`, int32, one entry per bigram
 */
export function bigrams(words: readonly string[], stoi: Record<string, number>): Bigrams {
  const xs: number[] = [], ys: number[] = [];
  for (const w of words) {
    const chs = [".", ...w, "."];
    for (let i = 0; i + 1 < chs.length; i++) {
      xs.push(stoi[chs[i]]);
      ys.push(stoi[chs[i + 1]]);
    }
  }
  return { xs: tensor(xs, { dtype: "int32" }), ys: tensor(ys, { dtype: "int32" }) };
}

/**
 * The count matrix: `N[x, y]` = how often `y` follows `x`
 * (`N = zeros((size, size), int32); N[xs, ys] += 1`).
 *
 * @param xs first characters, int32
 * @param ys following characters, int32
 * @param size the vocabulary size (default 27)
 * @returns the (size, size) int32 counts
 */
export function countMatrix(xs: Tensor, ys: Tensor, size = 27): Tensor {
  const N = zeros([size, size], { dtype: "int32" });
  indexPut_(N, [xs, ys], 1, { accumulate: true });
  return N;
}

/**
 * The count model: `P = (N + smoothing).float(); P /= P.sum(1, keepdim=True)`,
 * so that row `x` is the distribution of the character after `x`.
 *
 * @param N the int32 counts (left unchanged)
 * @param smoothing added to every count first (default 1)
 * @returns the float32 (size, size) matrix whose rows sum to 1
 */
export function countModel(N: Tensor, smoothing = 1): Tensor {
  const P = N.add(smoothing).to("float32");
  return P.div(P.sum(1, { keepdim: true }));
}

/**
 * Samples names from the model, one character at a time: start at `.` (0),
 * draw the next index from row `P[ix]` with
 * `multinomial(P[ix], 1, { replacement: true, generator })`, stop after `.`.
 *
 * @param P the (size, size) row-stochastic model
 * @param itos index → character
 * @param count how many names
 * @param generator the random stream, shared by every draw, in order
 * @returns the names, each ending in `.`
 */
export function sampleNames(
  P: Tensor,
  itos: readonly string[],
  count: number,
  generator: Generator,
): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    let out = "";
    let ix = 0;
    do {
      const p = index(P, tensor(ix, { dtype: "int32" })); // P[ix]
      ix = multinomial(p, 1, { replacement: true, generator }).itemSync();
      out += itos[ix];
    } while (ix !== 0);
    names.push(out);
  }
  return names;
}

/**
 * The average negative log-likelihood of the bigrams under the model:
 * `-mean(log P[xs, ys])`. A bigram the model gives probability 0 makes it
 * `Infinity`.
 *
 * @param P the model
 * @param xs first characters
 * @param ys following characters
 * @returns the NLL, a number ≥ 0
 */
export function nll(P: Tensor, xs: Tensor, ys: Tensor): number {
  return index(P, [xs, ys]).log().mean().neg().itemSync();
}
