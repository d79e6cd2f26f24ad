/**
 * Kata 05 reference, steps 05.1–05.2: the lecture's `build_dataset` (context
 * windows padded with `.`) and its shuffled 80/10/10 split.
 *
 * @module
 */

import { type CharVocab, PyRandom, type Tensor, tensor } from "../../mod.ts";

/** Context windows and the character that follows each. */
export interface Dataset {
  /** `(n, blockSize)` int32 character ids: the context of each example. */
  X: Tensor;
  /** `(n)` int32 ids: the character that follows each context. */
  Y: Tensor;
}

/**
 * The lecture's `build_dataset`: for each word, the context starts as
 * `blockSize` dots (id 0) and slides over the word and its closing `.`; each
 * position is one example, context → next character.
 *
 * @param words the words
 * @param vocab the 27-symbol vocabulary, `.` = 0
 * @param blockSize the context length (3)
 * @returns `X (n, blockSize)` and `Y (n)`, both int32, n = Σ (word length + 1)
 */
export function buildDataset(
  words: readonly string[],
  vocab: CharVocab,
  blockSize = 3,
): Dataset {
  const X: number[] = [];
  const Y: number[] = [];
  for (const w of words) {
    let context: number[] = new Array(blockSize).fill(0);
    for (const ch of w + ".") {
      const ix = vocab.stoi[ch];
      X.push(...context);
      Y.push(ix);
      context = [...context.slice(1), ix]; // crop and append
    }
  }
  return {
    X: tensor(Int32Array.from(X)).reshape(Y.length, blockSize),
    Y: tensor(Int32Array.from(Y)),
  };
}

/** The lecture's three splits, as context windows. */
export interface Splits {
  /** The words in shuffled order (train, then dev, then test). */
  words: string[];
  /** Training contexts `(n, blockSize)` (the first 80% of the shuffled words). */
  Xtr: Tensor;
  /** Training targets. */
  Ytr: Tensor;
  /** Dev (validation) contexts (the next 10%). */
  Xdev: Tensor;
  /** Dev targets. */
  Ydev: Tensor;
  /** Test contexts (the last 10%). */
  Xte: Tensor;
  /** Test targets. */
  Yte: Tensor;
}

/** Options of {@link makeSplits}. */
export interface SplitOptions {
  /** The context length (default 3). */
  blockSize?: number;
  /** The `random.seed` of the shuffle (default 42). */
  seed?: number;
}

/**
 * `random.seed(42); random.shuffle(words)`, then `n1 = int(0.8 * len(words))`,
 * `n2 = int(0.9 * len(words))` and `build_dataset` on `words[:n1]`,
 * `words[n1:n2]`, `words[n2:]`. The caller's array is left as it was.
 *
 * @param words the words in file order
 * @param vocab the vocabulary
 * @param options block size and seed
 * @returns the shuffled words and the three splits
 */
export function makeSplits(
  words: readonly string[],
  vocab: CharVocab,
  options: SplitOptions = {},
): Splits {
  const { blockSize = 3, seed = 42 } = options;
  const shuffled = [...words];
  new PyRandom(seed).shuffle(shuffled);
  const n1 = Math.trunc(0.8 * shuffled.length); // Python's int() truncates
  const n2 = Math.trunc(0.9 * shuffled.length);
  const tr = buildDataset(shuffled.slice(0, n1), vocab, blockSize);
  const dev = buildDataset(shuffled.slice(n1, n2), vocab, blockSize);
  const te = buildDataset(shuffled.slice(n2), vocab, blockSize);
  return {
    words: shuffled,
    Xtr: tr.X,
    Ytr: tr.Y,
    Xdev: dev.X,
    Ydev: dev.Y,
    Xte: te.X,
    Yte: te.Y,
  };
}
