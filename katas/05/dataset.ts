/**
 * Kata 05, steps 05.1–05.2: the dataset of makemore part 2 — context windows
 * padded with `.` (the lecture's `build_dataset`) and the shuffled 80/10/10
 * split. Replace every `todo(...)` with your code; `deno test katas/05` tells
 * you what to do next. Read katas/05/README.md first.
 *
 * From the library: `tensor` (an `Int32Array` gives an int32 tensor), `reshape`,
 * `PyRandom` (CPython's `random`: `new PyRandom(42).shuffle(array)`), and the
 * vocabulary's `stoi` / `itos`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
  return todo(
    "05.1",
    "buildDataset: contexts start as dots and slide over each word and its closing dot",
  );
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
  return todo("05.2", "makeSplits: shuffle a copy with PyRandom(seed), cut at 80% and 90%");
}
