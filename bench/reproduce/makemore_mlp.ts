/**
 * makemore part 2 (Bengio et al. 2003 MLP) written with katagrad the way the
 * lecture writes it with torch: raw parameter tensors, `C[X]` embeddings,
 * `tanh`, `F.crossEntropy`, minibatches from `randint`, and a manual SGD update.
 *
 * Shared by the lecture test (`makemore_mlp_test.ts`, a short
 * run) and the reproduction script (`deno task reproduce mlp`, the full
 * 200,000 steps).
 *
 * @module
 */

import {
  buildContextWindows,
  CharVocab,
  type DatasetOptions,
  F,
  type Generator,
  index,
  loadDataset,
  noGrad,
  PyRandom,
  randint,
  randn,
  splitWords,
  type Tensor,
  tensor,
} from "../../mod.ts";

/** The lecture's train/dev/test context windows as int32 tensors. */
export interface MakemoreSplit {
  /** The 27-symbol vocabulary (`.` = 0, `a`..`z` = 1..26). */
  vocab: CharVocab;
  /** The words after `random.seed(42); random.shuffle(words)`. */
  words: string[];
  /** Training contexts `(n, blockSize)` and targets `(n)`. */
  Xtr: Tensor;
  /** Training targets. */
  Ytr: Tensor;
  /** Dev contexts. */
  Xdev: Tensor;
  /** Dev targets. */
  Ydev: Tensor;
  /** Test contexts. */
  Xte: Tensor;
  /** Test targets. */
  Yte: Tensor;
}

/**
 * `words = open('names.txt').read().splitlines()`, the vocabulary, then
 * `random.seed(42); random.shuffle(words)` and `build_dataset` on the
 * 80/10/10 split.
 *
 * @param blockSize the context length (3 in the lecture)
 * @param options where to find names.txt (see `loadDataset`)
 * @returns the split
 */
export async function loadMakemoreSplit(
  blockSize = 3,
  options: DatasetOptions = {},
): Promise<MakemoreSplit> {
  const text = await loadDataset("names", options);
  const words = text.split("\n").filter((w) => w.length > 0);
  const vocab = CharVocab.fromText(words.join(""), { boundary: "." });
  new PyRandom(42).shuffle(words);
  const { train, dev, test } = splitWords(words);
  const build = (ws: string[]): [Tensor, Tensor] => {
    const { X, Y, n } = buildContextWindows(ws, blockSize, vocab);
    return [tensor(X).reshape(n, blockSize), tensor(Y)];
  };
  const [Xtr, Ytr] = build(train);
  const [Xdev, Ydev] = build(dev);
  const [Xte, Yte] = build(test);
  return { vocab, words, Xtr, Ytr, Xdev, Ydev, Xte, Yte };
}

/** The lecture's parameters. */
export interface MlpParams {
  /** Embedding table `(27, 10)`. */
  C: Tensor;
  /** Hidden weights `(30, 200)`. */
  W1: Tensor;
  /** Hidden bias `(200)`. */
  b1: Tensor;
  /** Output weights `(200, 27)`. */
  W2: Tensor;
  /** Output bias `(27)`. */
  b2: Tensor;
}

/**
 * The lecture's initialisation, every tensor from `randn(..., generator=g)`
 * in this order: `C (27,10)`, `W1 (30,200)`, `b1 (200)`, `W2 (200,27)`, `b2 (27)`.
 *
 * @param g the generator (the lecture seeds it with 2147483647)
 * @returns the parameters, each requiring grad (11,897 numbers in all)
 */
export function initMlp(g: Generator): MlpParams {
  const C = randn([27, 10], { generator: g });
  const W1 = randn([30, 200], { generator: g });
  const b1 = randn(200, { generator: g });
  const W2 = randn([200, 27], { generator: g });
  const b2 = randn(27, { generator: g });
  for (const p of [C, W1, b1, W2, b2]) p.requiresGrad = true;
  return { C, W1, b1, W2, b2 };
}

/**
 * The forward pass and loss:
 * `emb = C[X]; h = tanh(emb.view(-1, 30) @ W1 + b1); logits = h @ W2 + b2;
 * loss = F.cross_entropy(logits, Y)`.
 *
 * @param p the parameters
 * @param X contexts `(n, 3)`
 * @param Y targets `(n)`
 * @returns the mean loss (a scalar tensor)
 */
export function mlpLoss(p: MlpParams, X: Tensor, Y: Tensor): Tensor {
  const emb = index(p.C, X); // (n, 3, 10)
  const h = emb.view(-1, 30).matmul(p.W1).add(p.b1).tanh(); // (n, 200)
  const logits = h.matmul(p.W2).add(p.b2); // (n, 27)
  return F.crossEntropy(logits, Y);
}

/** Options of {@link trainMlp}. */
export interface TrainOptions {
  /** Number of steps. */
  steps: number;
  /** Minibatch size (32). */
  batchSize?: number;
  /** Learning rate at step i (lecture: 0.1, then 0.01 from step 100,000). */
  lr?: (i: number) => number;
  /** Called after each step with the minibatch loss. */
  onStep?: (i: number, loss: number) => void;
}

/**
 * The lecture's training loop: `ix = torch.randint(0, Xtr.shape[0], (32,),
 * generator=g)`, forward, `p.grad = None`, `loss.backward()`,
 * `p.data += -lr * p.grad`.
 *
 * @param p the parameters (updated in place)
 * @param Xtr training contexts
 * @param Ytr training targets
 * @param g the generator for the minibatch indices
 * @param opts steps, batch size, learning rate schedule, per-step callback
 * @returns the minibatch losses, one per step
 */
export function trainMlp(
  p: MlpParams,
  Xtr: Tensor,
  Ytr: Tensor,
  g: Generator,
  opts: TrainOptions,
): Float32Array {
  const { steps, batchSize = 32 } = opts;
  const lr = opts.lr ?? ((i: number) => (i < 100_000 ? 0.1 : 0.01));
  const params = [p.C, p.W1, p.b1, p.W2, p.b2];
  const losses = new Float32Array(steps);
  for (let i = 0; i < steps; i++) {
    const ix = randint(0, Xtr.shape[0], [batchSize], { generator: g });
    const loss = mlpLoss(p, index(Xtr, ix), index(Ytr, ix));
    for (const q of params) q.grad = null;
    loss.backward();
    const rate = lr(i);
    noGrad(() => {
      for (const q of params) q.add_(q.grad!, { alpha: -rate });
    });
    losses[i] = loss.itemSync();
    opts.onStep?.(i, losses[i]);
  }
  return losses;
}

/**
 * The loss over a whole split, without recording gradients: {@link mlpLoss}'s formula, with each
 * intermediate freed as soon as the next one exists (PyTorch frees them by reference count; a
 * JavaScript array waits for the garbage collector, and over the 182,625 training examples
 * `h` alone is 146 MB).
 *
 * @param p the parameters
 * @param X contexts
 * @param Y targets
 * @returns the mean loss
 */
export function splitLoss(p: MlpParams, X: Tensor, Y: Tensor): number {
  return noGrad(() => {
    const emb = index(p.C, X); // (n, 3, 10)
    const pre = emb.view(-1, 30).matmul(p.W1).add_(p.b1); // (n, 200)
    emb.dispose();
    const h = pre.tanh();
    pre.dispose();
    const logits = h.matmul(p.W2).add_(p.b2); // (n, 27)
    h.dispose();
    const loss = F.crossEntropy(logits, Y);
    logits.dispose();
    const value = loss.itemSync();
    loss.dispose();
    return value;
  });
}
