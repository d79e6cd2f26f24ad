/**
 * Kata 09, steps 09.1–09.2 (reference solution): Tiny Shakespeare as
 * characters, the 90/10 split and the GPT lecture's `get_batch`.
 *
 * @module
 */

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
  const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const stoi = new Map(chars.map((c, i) => [c, i]));
  return {
    chars,
    encode: (s) =>
      Array.from(s, (c) => {
        const i = stoi.get(c);
        if (i === undefined) throw new TypeError(`encode: ${JSON.stringify(c)} is not in chars`);
        return i;
      }),
    decode: (ids) => Array.from(ids, (i) => chars[i]).join(""),
  };
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
  const n = Math.trunc(frac * data.length);
  return { train: data.subarray(0, n), val: data.subarray(n) };
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
  const ix = randint(0, data.length - blockSize, [batchSize], { generator: g }).dataSync();
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    x.set(data.subarray(ix[b], ix[b] + blockSize), b * blockSize); // row b of (B, T)
    y.set(data.subarray(ix[b] + 1, ix[b] + blockSize + 1), b * blockSize);
  }
  return {
    x: tensor(x).reshape(batchSize, blockSize), // (B*T,) -> (B, T)
    y: tensor(y).reshape(batchSize, blockSize),
  };
}
