/**
 * makemore part 1 (the bigram language model) written with katagrad the way
 * the lecture writes it with torch: the count matrix `N[ix1, ix2] += 1`, the
 * normalised `P`, the negative log-likelihood, sampling with
 * `torch.multinomial`, and the neural bigram (one-hot @ W, softmax, NLL,
 * gradient descent).
 *
 * Shared by the lecture test (`makemore_bigram_test.ts`) and the
 * reproduction script (`deno task reproduce bigram`).
 *
 * @module
 */

import {
  arange,
  type CharVocab,
  F,
  type Generator,
  index,
  indexPut_,
  multinomial,
  noGrad,
  type Tensor,
  tensor,
  zeros,
} from "../../mod.ts";

/** Every bigram of the words, as two int32 index tensors. */
export interface Bigrams {
  /** First characters `xs`. */
  xs: Tensor;
  /** Following characters `ys`. */
  ys: Tensor;
}

/**
 * `for w in words: chs = ['.'] + list(w) + ['.']; for ch1, ch2 in zip(chs, chs[1:]): ...`
 *
 * @param words the words
 * @param vocab the vocabulary with `.` at id 0
 * @returns `xs`, `ys` (228,146 each for names.txt)
 */
export function bigrams(words: readonly string[], vocab: CharVocab): Bigrams {
  const xs: number[] = [], ys: number[] = [];
  for (const w of words) {
    const chs = [".", ...w, "."];
    for (let i = 0; i + 1 < chs.length; i++) {
      xs.push(vocab.stoi[chs[i]]);
      ys.push(vocab.stoi[chs[i + 1]]);
    }
  }
  return { xs: tensor(xs, { dtype: "int32" }), ys: tensor(ys, { dtype: "int32" }) };
}

/**
 * `N = torch.zeros((27, 27), dtype=torch.int32); N[xs, ys] += 1`, as one
 * accumulating put (repeated pairs add up).
 *
 * @param b the bigrams
 * @param size the vocabulary size (27)
 * @returns the int32 count matrix
 */
export function countMatrix(b: Bigrams, size = 27): Tensor {
  const N = zeros([size, size], { dtype: "int32" });
  indexPut_(N, [b.xs, b.ys], 1, { accumulate: true });
  return N;
}

/**
 * `P = (N+smoothing).float(); P /= P.sum(1, keepdims=True)`.
 *
 * @param N the counts
 * @param smoothing added to every count (1 in the lecture, 0 for the raw model)
 * @returns the float32 row-stochastic matrix
 */
export function countModel(N: Tensor, smoothing = 1): Tensor {
  const P = N.add(smoothing).to("float32");
  P.div_(P.sum(1, { keepdim: true }));
  return P;
}

/**
 * The average negative log-likelihood `-P[xs, ys].log().mean()`.
 *
 * @param P the model
 * @param b the bigrams scored
 * @returns the NLL
 */
export function nll(P: Tensor, b: Bigrams): number {
  return index(P, [b.xs, b.ys]).log().mean().neg().itemSync();
}

/**
 * The lecture's loop `log_likelihood += torch.log(prob)`: the same NLL with
 * a float32 accumulator, summed in order (what the lecture prints).
 *
 * @param P the model
 * @param b the bigrams scored
 * @returns the NLL accumulated in float32
 */
export function nllFloat32Loop(P: Tensor, b: Bigrams): number {
  const logprob = index(P, [b.xs, b.ys]).log().dataSync();
  let acc = 0;
  for (let i = 0; i < logprob.length; i++) acc = Math.fround(acc + logprob[i]);
  return -acc / logprob.length;
}

/**
 * Samples names row by row: `ix = torch.multinomial(P[ix], num_samples=1,
 * replacement=True, generator=g).item()` until `.` comes back.
 *
 * @param P the model (27 × 27)
 * @param g the generator (the lecture seeds it with 2147483647)
 * @param count how many names
 * @param vocab the vocabulary
 * @returns the names, each ending in `.`
 */
export function sampleNames(P: Tensor, g: Generator, count: number, vocab: CharVocab): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    let out = "";
    let ix = 0;
    do {
      const p = index(P, tensor(ix, { dtype: "int32" })); // p = P[ix]
      ix = multinomial(p, 1, { replacement: true, generator: g }).itemSync();
      out += vocab.itos[ix];
    } while (ix !== 0);
    names.push(out);
  }
  return names;
}

/**
 * One step of the neural bigram: `xenc = F.one_hot(xs, 27).float()`,
 * `logits = xenc @ W`, softmax by hand, `loss = -probs[arange(n), ys].log().mean()
 * + 0.01 * (W**2).mean()`, `W.grad = None`, `loss.backward()`, `W.data += -lr * W.grad`.
 *
 * @param W the (27, 27) weights, requiring grad (updated in place)
 * @param xenc the one-hot inputs `(n, 27)` as float32
 * @param ys the targets
 * @param lr the learning rate (50 in the lecture)
 * @returns the loss before the update
 */
export function neuralBigramStep(W: Tensor, xenc: Tensor, ys: Tensor, lr = 50): number {
  const logits = xenc.matmul(W); // log-counts
  const counts = logits.exp(); // equivalent to N
  const probs = counts.div(counts.sum(1, { keepdim: true }));
  const loss = index(probs, [arange(ys.size), ys]).log().mean().neg()
    .add(W.pow(2).mean().mul(0.01));
  W.grad = null;
  loss.backward();
  noGrad(() => W.add_(W.grad!, { alpha: -lr }));
  return loss.itemSync();
}

/**
 * `F.one_hot(xs, num_classes=27).float()`.
 *
 * @param xs the int32 inputs
 * @param size the number of classes (27)
 * @returns the float32 one-hot matrix
 */
export function oneHotInputs(xs: Tensor, size = 27): Tensor {
  return F.oneHot(xs, size).to("float32");
}
