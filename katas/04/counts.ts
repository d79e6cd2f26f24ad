/**
 * Kata 04, steps 04.1–04.6: the bigram language model by counting (makemore
 * part 1, first half). Replace every `todo(...)` with your code;
 * `deno test katas/04` tells you what to do next. Read katas/04/README.md first.
 *
 * From the library (`../../mod.ts`): `tensor`, `zeros`, `index`, `indexPut_`,
 * `multinomial`, `Generator`, and the Tensor methods `add`, `div`, `sum`,
 * `log`, `mean`, `neg`, `to`, `itemSync`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import type { Generator, Tensor } from "../../mod.ts";

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
  return todo(
    "04.1",
    "buildVocab: the boundary token at index 0, then the words' characters, sorted, from 1",
  );
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
  return todo(
    "04.2",
    "bigrams: int32 xs and ys for every neighbouring pair, boundary token before and after each word",
  );
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
  return todo("04.3", "countMatrix: int32 zeros, then indexPut_ with accumulate");
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
  return todo("04.4", "countModel: (N + smoothing) as float32, each row divided by its sum");
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
  return todo("04.5", "sampleNames: from ix = 0, draw ix from P[ix] until it is 0 again");
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
  return todo("04.6", "nll: -mean(log P[xs, ys])");
}
