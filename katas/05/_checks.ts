/**
 * Shared pieces of kata 05's tests: names.txt and its vocabulary, the PyTorch
 * fixture of the lecture, a float64 reference of the network written with
 * plain loops (independent of your tensor code), and assertions that print
 * context windows as text.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import {
  buildContextWindows,
  CharVocab,
  loadDataset,
  PyRandom,
  splitWords,
  type Tensor,
  tensor,
} from "../../mod.ts";

/** names.txt as a list of words, in file order (downloaded once if `KATAGRAD_DATA` lacks it). */
export const WORDS: readonly string[] = (await loadDataset("names"))
  .split("\n")
  .filter((w) => w.length > 0);

/** The 27-symbol vocabulary: `.` = 0, `a`..`z` = 1..26. */
export const VOCAB: CharVocab = CharVocab.fromText(WORDS.join(""), { boundary: "." });

/**
 * PyTorch running the lecture's code with `Generator(2147483647)`
 * (testdata/lectures/makemore.json, written by testdata/gen_lectures.py): the
 * minibatch loss of each of the first 2,000 steps.
 */
export const TORCH_MLP = JSON.parse(
  Deno.readTextFileSync(new URL("../../testdata/lectures/makemore.json", import.meta.url)),
).mlp as { losses: number[]; first_ix: number[]; dev_loss: number };

/** A tensor's numbers and shape, read once. */
export interface Plain {
  data: Float64Array;
  shape: number[];
}

/** @returns `t`'s numbers as float64 with its shape */
export function plain(t: Tensor): Plain {
  return { data: Float64Array.from(t.dataSync() as ArrayLike<number>), shape: [...t.shape] };
}

/** The parameters' numbers, as the float64 reference reads them. */
export interface PlainParams {
  C: Plain;
  W1: Plain;
  b1: Plain;
  W2: Plain;
  b2: Plain;
}

/** @returns the numbers of C, W1, b1, W2, b2 */
export function plainParams(p: Record<"C" | "W1" | "b1" | "W2" | "b2", Tensor>): PlainParams {
  return { C: plain(p.C), W1: plain(p.W1), b1: plain(p.b1), W2: plain(p.W2), b2: plain(p.b2) };
}

/**
 * The network with plain loops in float64: row `i` of the flattened
 * embedding is `C[X[i,0]], C[X[i,1]], …` one after the other.
 *
 * @param p the parameters
 * @param X the contexts, row-major `(n, blockSize)`
 * @param n the number of rows
 * @returns `emb` (n·blockSize·embedding), `h` (n·hidden) and `logits` (n·vocab), row-major
 */
export function referenceForward(
  p: PlainParams,
  X: ArrayLike<number>,
  n: number,
): { emb: Float64Array; h: Float64Array; logits: Float64Array } {
  const [vocab, e] = p.C.shape;
  const [fanIn, hidden] = p.W1.shape;
  const blockSize = fanIn / e;
  const emb = new Float64Array(n * fanIn);
  const h = new Float64Array(n * hidden);
  const logits = new Float64Array(n * vocab);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < blockSize; j++) {
      const row = X[i * blockSize + j];
      for (let k = 0; k < e; k++) emb[i * fanIn + j * e + k] = p.C.data[row * e + k];
    }
    for (let u = 0; u < hidden; u++) {
      let s = p.b1.data[u];
      for (let f = 0; f < fanIn; f++) s += emb[i * fanIn + f] * p.W1.data[f * hidden + u];
      h[i * hidden + u] = Math.tanh(s);
    }
    for (let c = 0; c < vocab; c++) {
      let s = p.b2.data[c];
      for (let u = 0; u < hidden; u++) s += h[i * hidden + u] * p.W2.data[u * vocab + c];
      logits[i * vocab + c] = s;
    }
  }
  return { emb, h, logits };
}

/**
 * Mean cross-entropy in float64, with the row maximum subtracted first.
 *
 * @param logits row-major `(n, classes)`
 * @param Y the targets
 * @param classes the number of classes
 * @returns `mean(logsumexp(row) - row[Y])`
 */
export function referenceCrossEntropy(
  logits: ArrayLike<number>,
  Y: ArrayLike<number>,
  classes: number,
): number {
  let total = 0;
  for (let i = 0; i < Y.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]);
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(logits[i * classes + c] - max);
    total += max + Math.log(s) - logits[i * classes + Y[i]];
  }
  return total / Y.length;
}

/**
 * Asserts that context windows read as the expected text, e.g. `"..e→m"`.
 *
 * @param name what is compared
 * @param X the contexts `(n, blockSize)`
 * @param Y the targets `(n)`
 * @param expected one `"ctx→next"` per row
 * @throws {KataAssertionError} listing the first rows that differ
 */
export function assertWindows(name: string, X: Tensor, Y: Tensor, expected: string[]): void {
  const blockSize = expected[0].indexOf("→");
  if (X.dtype !== "int32" || Y.dtype !== "int32") {
    throw new KataAssertionError(
      `${name}: X and Y hold character ids, int32; got ${X.dtype} and ${Y.dtype}`,
    );
  }
  const want = `(${expected.length}, ${blockSize}) and (${expected.length})`;
  const got = `(${X.shape.join(", ")}) and (${Y.shape.join(", ")})`;
  if (want !== got) {
    throw new KataAssertionError(
      `${name}: expected X and Y of shapes ${want}, got ${got}\n  rows: ${
        readWindows(X, Y).slice(0, 12).join("  ")
      }`,
    );
  }
  const rows = readWindows(X, Y);
  const bad = expected.flatMap((e, i) =>
    rows[i] === e ? [] : [`  row ${i}: expected ${e}, got ${rows[i]}`]
  );
  if (bad.length > 0) {
    throw new KataAssertionError(
      `${name}: ${bad.length} of ${expected.length} windows differ (context→next character)\n` +
        bad.slice(0, 8).join("\n"),
    );
  }
}

/** @returns each row as `"ctx→next"` text */
export function readWindows(X: Tensor, Y: Tensor): string[] {
  const x = X.dataSync(), y = Y.dataSync();
  const blockSize = X.shape[1] ?? 0;
  const text = (ids: ArrayLike<number>) => Array.from(ids, (i) => VOCAB.itos[i] ?? "?").join("");
  return Array.from(
    { length: y.length },
    (_, i) => `${text(x.subarray(i * blockSize, (i + 1) * blockSize))}→${text([y[i]])}`,
  );
}

/** The lecture's split, built with the library (so 05.6 onwards do not depend on 05.1–05.2). */
export interface LectureSplit {
  Xtr: Tensor;
  Ytr: Tensor;
  Xdev: Tensor;
  Ydev: Tensor;
  Xte: Tensor;
  Yte: Tensor;
}

/**
 * `random.seed(42); random.shuffle(words)`, the 80/10/10 cut and the context
 * windows of block size 3, from the library's `PyRandom`, `splitWords` and
 * `buildContextWindows`.
 *
 * @returns the six tensors
 */
export function lectureSplit(): LectureSplit {
  const words = [...WORDS];
  new PyRandom(42).shuffle(words);
  const { train, dev, test } = splitWords(words);
  const build = (ws: string[]) => {
    const { X, Y, n } = buildContextWindows(ws, 3, VOCAB);
    return [tensor(X).reshape(n, 3), tensor(Y)];
  };
  const [Xtr, Ytr] = build(train), [Xdev, Ydev] = build(dev), [Xte, Yte] = build(test);
  return { Xtr, Ytr, Xdev, Ydev, Xte, Yte };
}
