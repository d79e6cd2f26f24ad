/**
 * The makemore lectures' dataset helpers: context windows (`build_dataset`),
 * the 80/10/10 word split and random minibatch indices, on plain typed arrays
 * (wrap them in tensors with shape `[n, blockSize]` and `[n]`).
 *
 * @module
 */

import { CharVocab } from "./vocab.ts";
import { checkFunction, checkInstance, checkNumber, checkNumbers, describe } from "../validate.ts";

/** Throws unless `words` is an array of strings. */
function checkStrings(op: string, words: unknown): void {
  if (!Array.isArray(words)) {
    throw new TypeError(`${op}: words must be an array of strings, got ${describe(words)}`);
  }
  words.forEach((w, i) => {
    if (typeof w !== "string") {
      throw new TypeError(`${op}: words[${i}] must be a string, got ${describe(w)}`);
    }
  });
}

/** Context windows and their next-character targets, row-major. */
export interface ContextWindows {
  /** `n × blockSize` character ids, row `i` is the context of example `i`. */
  X: Int32Array;
  /** `n` target ids: the character that follows each context. */
  Y: Int32Array;
  /** The number of examples. */
  n: number;
  /** The context length. */
  blockSize: number;
}

/**
 * An integer sampler: `count` draws uniform in `[low, high)`, like
 * `torch.randint(low, high, (count,), generator=g)`. Pass one backed by the
 * library's `Generator` to get the lecture's exact batches.
 */
export type IntSampler = (low: number, high: number, count: number) => ArrayLike<number>;

/**
 * The lecture's `build_dataset`: for each word, a context that starts as
 * `blockSize` boundary ids (`...`) slides over the word and its closing `.`;
 * each position gives one example (context → next character).
 *
 * @param words the words (e.g. names.txt split into lines)
 * @param blockSize the context length (3 in the lecture, 8 for WaveNet)
 * @param vocab a vocabulary with the boundary at id 0 (`CharVocab.fromText(text, {boundary: "."})`)
 * @returns `X` (`n × blockSize`) and `Y` (`n`); `n` = Σ (word length + 1)
 * @throws {RangeError} when blockSize is not a positive integer
 * @throws {TypeError} when a word has a character outside the vocabulary
 * @example "emma" with block size 3
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { CharVocab } from "./vocab.ts";
 * import { buildContextWindows } from "./makemore.ts";
 * const vocab = CharVocab.fromText("abcdefghijklmnopqrstuvwxyz", { boundary: "." });
 * const { X, Y, n } = buildContextWindows(["emma"], 3, vocab);
 * equal(n, 5);
 * deepEqual([...X.subarray(0, 6)], [0, 0, 0, 0, 0, 5]); // "..." then "..e"
 * equal(vocab.decode(Y), "emma.");
 * ```
 */
export function buildContextWindows(
  words: readonly string[],
  blockSize: number,
  vocab: CharVocab,
): ContextWindows {
  const op = "buildContextWindows";
  checkStrings(op, words);
  checkNumber(op, "blockSize", blockSize, { integer: true, min: 1 });
  checkInstance(op, "vocab", vocab, CharVocab, "a CharVocab");
  let n = 0;
  const encoded = words.map((w, i) => {
    let ids: Int32Array;
    try {
      ids = vocab.encode(w);
    } catch (e) {
      throw new TypeError(
        `Cannot build context windows: word ${i} ${JSON.stringify(w)}: ${(e as Error).message}`,
      );
    }
    n += ids.length + 1;
    return ids;
  });
  const X = new Int32Array(n * blockSize);
  const Y = new Int32Array(n);
  const context = new Int32Array(blockSize); // boundary id 0
  let row = 0;
  for (const ids of encoded) {
    context.fill(0);
    for (let j = 0; j <= ids.length; j++) {
      const next = j < ids.length ? ids[j] : 0;
      X.set(context, row * blockSize);
      Y[row++] = next;
      context.copyWithin(0, 1); // context = context[1:] + [next]
      context[blockSize - 1] = next;
    }
  }
  return { X, Y, n, blockSize };
}

/** Train, dev and test parts of a word list. */
export interface WordSplit {
  /** The first part (80% in the lecture). */
  train: string[];
  /** The middle part (10%). */
  dev: string[];
  /** The rest (10%). */
  test: string[];
}

/**
 * Splits an already shuffled word list as the lecture does:
 * `n1 = int(0.8*len(words))`, `n2 = int(0.9*len(words))`,
 * `words[:n1]`, `words[n1:n2]`, `words[n2:]`.
 *
 * For the lecture's exact split, shuffle first with the CPython-compatible
 * random module: `random.seed(42); random.shuffle(words)` (names.txt then
 * starts with `yuheng`, `diondre`, `xavien`, and block size 3 gives
 * 182,625 / 22,655 / 22,866 examples).
 *
 * @param words the (shuffled) words; not modified
 * @param fracs the two cut points as fractions, `0 ≤ a ≤ b ≤ 1`
 * @returns the three parts
 * @throws {RangeError} when the fractions are not ordered within [0, 1]
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { splitWords } from "./makemore.ts";
 * const words = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"];
 * const { train, dev, test } = splitWords(words);
 * deepEqual([train.length, dev.length, test.length], [8, 1, 2]); // int(8.8), int(9.9)
 * ```
 */
export function splitWords(
  words: readonly string[],
  fracs: readonly [number, number] = [0.8, 0.9],
): WordSplit {
  checkStrings("splitWords", words);
  checkNumbers("splitWords", "fracs", fracs, { min: 0, max: 1 });
  if (fracs.length !== 2) {
    throw new RangeError(`splitWords: fracs must be two numbers [a, b], got ${describe(fracs)}`);
  }
  const [a, b] = fracs;
  if (!(a <= b)) {
    throw new RangeError(
      `splitWords: fracs must satisfy 0 <= a <= b <= 1, got [${a}, ${b}]`,
    );
  }
  const n1 = Math.trunc(a * words.length); // Python int() truncates
  const n2 = Math.trunc(b * words.length);
  return { train: words.slice(0, n1), dev: words.slice(n1, n2), test: words.slice(n2) };
}

/**
 * Minibatch row indices: `ix = torch.randint(0, n, (batchSize,))`.
 *
 * @param n the number of examples to draw from
 * @param batchSize how many indices
 * @param randint the sampler, called once as `randint(0, n, batchSize)`
 * @returns the indices
 * @throws {RangeError} when n or batchSize is not a positive integer, or the
 *   sampler returns the wrong count or an index outside `[0, n)`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { randomBatch } from "./makemore.ts";
 * const fake = (_lo: number, _hi: number, k: number) => Array.from({ length: k }, (_, i) => i * 2);
 * deepEqual([...randomBatch(10, 4, fake)], [0, 2, 4, 6]);
 * ```
 */
export function randomBatch(n: number, batchSize: number, randint: IntSampler): Int32Array {
  checkNumber("randomBatch", "n", n, { integer: true, min: 1 });
  checkNumber("randomBatch", "batchSize", batchSize, { integer: true, min: 1 });
  checkFunction("randomBatch", "randint", randint);
  const ix = randint(0, n, batchSize);
  if (ix.length !== batchSize) {
    throw new RangeError(
      `randomBatch: the sampler returned ${ix.length} indices, expected ${batchSize}`,
    );
  }
  const out = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const v = ix[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new RangeError(`randomBatch: index ${v} at ${i} is outside [0, ${n})`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Gathers the rows `ix` of context windows: `Xb, Yb = X[ix], Y[ix]`.
 *
 * @param windows the dataset from {@link buildContextWindows}
 * @param ix row indices (from {@link randomBatch})
 * @returns a `ContextWindows` of `ix.length` rows
 * @throws {RangeError} when an index is outside `[0, n)`
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { CharVocab } from "./vocab.ts";
 * import { buildContextWindows, takeRows } from "./makemore.ts";
 * const vocab = CharVocab.fromText("ab", { boundary: "." });
 * const data = buildContextWindows(["ab"], 2, vocab); // ..→a, .a→b, ab→.
 * const b = takeRows(data, [2, 0]);
 * deepEqual([...b.X], [1, 2, 0, 0]);
 * deepEqual([...b.Y], [0, 1]);
 * ```
 */
export function takeRows(windows: ContextWindows, ix: ArrayLike<number>): ContextWindows {
  if (
    typeof windows !== "object" || windows === null || !(windows.X instanceof Int32Array) ||
    !(windows.Y instanceof Int32Array)
  ) {
    throw new TypeError(
      `takeRows: windows must be the ContextWindows of buildContextWindows, got ${
        describe(windows)
      }`,
    );
  }
  if (typeof (ix as Partial<ArrayLike<number>>)?.length !== "number") {
    throw new TypeError(`takeRows: ix must be an array of row numbers, got ${describe(ix)}`);
  }
  const { X, Y, n, blockSize } = windows;
  const m = ix.length;
  const Xb = new Int32Array(m * blockSize);
  const Yb = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const r = ix[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new RangeError(`takeRows: index ${r} at ${i} is outside [0, ${n})`);
    }
    Xb.set(X.subarray(r * blockSize, (r + 1) * blockSize), i * blockSize);
    Yb[i] = Y[r];
  }
  return { X: Xb, Y: Yb, n: m, blockSize };
}
