/**
 * Kata 09, steps 09.1–09.2: Tiny Shakespeare as characters, the 90/10 split
 * and the GPT lecture's `get_batch`. Replace every `todo(...)` with your code;
 * `deno test katas/09` tells you what to do next. Read katas/09/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `randint(low, high,
 * [n], { generator })` [`torch.randint`], `tensor(int32Array)` [`torch.tensor`],
 * `reshape`, `dataSync()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type Generator, randint, type Tensor, tensor } from "../../mod.ts";

/** A character-level tokenizer: the lecture's `chars`, `encode` and `decode`. */
export interface CharTokenizer {
  /** The distinct characters of the text, sorted by code point (`sorted(list(set(text)))`). */
  chars: string[];
  /**
   * Text → ids (`encode = lambda s: [stoi[c] for c in s]`).
   *
   * @param s the text; every character must be in `chars`
   * @returns one id per character
   */
  encode(s: string): number[];
  /**
   * Ids → text (`decode = lambda l: ''.join([itos[i] for i in l])`).
   *
   * @param ids ids in `[0, chars.length)`
   * @returns the text
   */
  decode(ids: ArrayLike<number>): string;
}

/**
 * Builds the lecture's character tokenizer: the text's distinct characters
 * sorted by code point, `stoi` / `itos` by position in that list.
 *
 * @param text the whole text (Tiny Shakespeare: 65 distinct characters)
 * @returns `chars`, `encode`, `decode`
 */
export function charTokenizer(text: string): CharTokenizer {
  return todo("09.1", "charTokenizer: sorted distinct characters, encode and decode");
}

/** The token stream cut in two. */
export interface TrainVal {
  /** The first `int(frac · n)` tokens. */
  train: Int32Array;
  /** The rest. */
  val: Int32Array;
}

/**
 * The lecture's split: `n = int(0.9 * len(data))`, `train = data[:n]`,
 * `val = data[n:]` — no shuffle: the validation text is the play's end.
 *
 * @param data the encoded text
 * @param frac the train fraction (0.9)
 * @returns views of `data`
 */
export function splitData(data: Int32Array, frac = 0.9): TrainVal {
  return todo("09.1", "splitData: the first int(frac · n) tokens train, the rest validate");
}

/** A batch of windows and their next characters. */
export interface Batch {
  /** `(B, T)` int32: `x[b] = data[ix[b] : ix[b] + T]`. */
  x: Tensor;
  /** `(B, T)` int32: `y[b] = data[ix[b] + 1 : ix[b] + T + 1]`, x shifted by one. */
  y: Tensor;
}

/**
 * The lecture's `get_batch`: `ix = torch.randint(len(data) - block_size,
 * (batch_size,))`, then the windows starting at `ix` and the same windows one
 * character later.
 *
 * @param data the split to draw from
 * @param batchSize B, the number of windows
 * @param blockSize T, the length of each window
 * @param g the generator the starts are drawn from
 * @returns `x` and `y`, both `(B, T)` int32
 */
export function getBatch(
  data: Int32Array,
  batchSize: number,
  blockSize: number,
  g: Generator,
): Batch {
  return todo("09.2", "getBatch: random starts, windows x and the windows one token later y");
}
