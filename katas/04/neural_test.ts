/**
 * Kata 04, steps 04.7–04.9: the neural bigram. Run `deno test katas/04`.
 *
 * The lecture's numbers (makemore_part1_bigrams.ipynb) are asserted where it
 * prints them; the others are PyTorch's, running the lecture's code
 * (testdata/lectures/makemore.json).
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { assertAllClose, assertClose, KataAssertionError } from "../_lib/assert.ts";
import { F, Generator, randn, tensor } from "../../mod.ts";
import { assertNames, assertTensor, nearRows, rows } from "./_checks.ts";
import { namesBigrams, torchBigram } from "./_names.ts";
import { bigramLoss, bigramProbs, sampleFromNet, softmax, trainBigramNet } from "./neural.ts";

const int32 = (xs: number[]) => tensor(xs, { dtype: "int32" });
/** "emma" as the lecture's five bigrams: .e em mm ma a. */
const emma = { xs: int32([0, 5, 13, 13, 1]), ys: int32([5, 13, 13, 1, 0]) };
/** The lecture's W: `torch.randn((27, 27), generator=g)` with g seeded 2147483647. */
const lectureW = (requiresGrad = false) =>
  randn([27, 27], { generator: new Generator(2147483647), requiresGrad });

/** Asserts `softmax(logits)` against exp / row sum, naming the usual mistakes. */
function assertSoftmax(logits: number[][]) {
  const [n, c] = [logits.length, logits[0].length];
  const got = softmax(tensor(logits));
  assertTensor(`softmax of (${n}, ${c})`, got, [n, c], "float32");
  const exps = logits.map((r) => r.map(Math.exp));
  const want = exps.map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
  const g = rows(got);
  const near = (w: number[][]) => nearRows(g, w, 1e-6);
  if (!near(want)) {
    const colSums = exps[0].map((_, j) => exps.reduce((a, r) => a + r[j], 0));
    const rowSums = exps.map((r) => r.reduce((a, b) => a + b, 0));
    const plain = logits.map((r) => r.map((v) => v / r.reduce((a, b) => a + b, 0)));
    const why = near(exps.map((r) => r.map((v, j) => v / colSums[j])))
      ? "each COLUMN sums to 1: divide by the sum over dim 1, the row"
      : n === c && near(exps.map((r) => r.map((v, j) => v / rowSums[j])))
      ? "that is counts / counts.sum(1) without keepdim: column j divided by the sum of row j"
      : near(plain)
      ? "the logits were normalised without exp: exponentiate first (counts = logits.exp())"
      : "";
    if (why) throw new KataAssertionError(`softmax of (${n}, ${c}): ${why}`);
    assertAllClose(`softmax of (${n}, ${c})`, { data: g.flat(), shape: [n, c] }, {
      data: want.flat(),
      shape: [n, c],
    }, 1e-6);
  }
}

Deno.test("04.7 softmax exponentiates, then divides each row by its sum", () => {
  assertSoftmax([[1, 2, 3], [0.5, 0.5, -1], [2, -2, 0]]);
  // Not square: the rows (3) and the columns (5) cannot be confused.
  assertSoftmax([[0.1, -0.4, 1.3, 2, 0.2], [3, 1, 0, -1, 0.5], [-2, -2, 1, 0.25, 0]]);
});

Deno.test("04.7 softmax is built from Tensor ops, so gradients flow through it", () => {
  const data = [[0.3, -1.2, 2, 0.7], [1.5, 0.1, -0.4, -2]];
  const weights = tensor([[1, -2, 0.5, 3], [0.25, 4, -1, 2]]);
  const x = tensor(data, { requiresGrad: true });
  const mine = softmax(x);
  if (!mine.requiresGrad) {
    throw new KataAssertionError(
      "softmax(x).requiresGrad is false: compute it with Tensor ops (exp, sum, div), " +
        "not by reading the numbers out and making a new tensor",
    );
  }
  mine.mul(weights).sum().backward();
  const ref = tensor(data, { requiresGrad: true });
  F.softmax(ref, 1).mul(weights).sum().backward();
  assertAllClose("x.grad through softmax", { data: x.grad!.dataSync(), shape: [2, 4] }, {
    data: ref.grad!.dataSync(),
    shape: [2, 4],
  }, 1e-5);
});

Deno.test("04.7 bigramProbs: one-hot(emma) @ W gives the lecture's P(e | .) = 0.0123", () => {
  const probs = bigramProbs(lectureW(), emma.xs);
  assertTensor("bigramProbs(W, emma.xs)", probs, [5, 27], "float32");
  const p = rows(probs);
  // Lecture cell 46: "probability assigned by the net to the correct character".
  assertClose("probs[0][5], P(e | .)", p[0][5], 0.012286253273487091, 1e-6);
  assertClose("probs[1][13], P(m | e)", p[1][13], 0.018050702288746834, 1e-6);
  // And the start of the row it prints: tensor([0.0607, 0.0100, 0.0123, 0.0042, …]).
  [0.0607, 0.0100, 0.0123, 0.0042, 0.0168].forEach((v, j) =>
    assertClose(`probs[0][${j}]`, p[0][j], v, 5e-5)
  );
  ok(p[2].every((v, j) => v === p[3][j]), "rows 2 and 3 (both after 'm') are the same");
});

Deno.test("04.8 bigramLoss on emma without regularisation is the lecture's 3.7693", () => {
  const loss = bigramLoss(lectureW(), emma.xs, emma.ys, 0);
  assertTensor("bigramLoss(W, emma, reg 0)", loss, [], "float32");
  const v = loss.itemSync();
  if (Math.abs(v + 3.7693049907684326) < 1e-4) {
    throw new KataAssertionError("bigramLoss: -3.7693 is the log-likelihood: negate it");
  }
  // Lecture cell 46: "average negative log likelihood, i.e. loss = 3.7693049907684326".
  assertClose("bigramLoss(W, emma, reg 0)", v, 3.7693049907684326, 1e-6);
});

Deno.test("04.8 bigramLoss adds reg · mean(W²), 0.01 by default, with autograd's gradient", () => {
  const W = lectureW(true);
  const loss = bigramLoss(W, emma.xs, emma.ys); // default reg
  const meanSq = W.pow(2).mean().itemSync(), sumSq = W.pow(2).sum().itemSync();
  const extra = loss.itemSync() - 3.7693049907684326;
  if (Math.abs(extra - 0.01 * sumSq) < 1e-3) {
    throw new KataAssertionError(
      `bigramLoss: the regularisation ${extra} is 0.01 · SUM(W²); the lecture uses the mean, ` +
        `0.01 · (W**2).mean() = ${0.01 * meanSq}`,
    );
  }
  assertClose(
    "bigramLoss(W, emma) - bigramLoss(W, emma, 0), default reg",
    extra,
    0.01 * meanSq,
    1e-5,
  );
  assertClose(
    "reg 0.5",
    bigramLoss(W, emma.xs, emma.ys, 0.5).itemSync() - 3.7693049907684326,
    0.5 * meanSq,
    1e-5,
  );
  loss.backward();
  const ref = lectureW(true);
  const logits = F.oneHot(emma.xs, 27).to("float32").matmul(ref);
  F.crossEntropy(logits, emma.ys).add(ref.pow(2).mean().mul(0.01)).backward();
  if (W.grad === null) throw new KataAssertionError("bigramLoss: W.grad is null after backward()");
  assertAllClose("W.grad", { data: W.grad.dataSync(), shape: [27, 27] }, {
    data: ref.grad!.dataSync(),
    shape: [27, 27],
  }, 1e-5);
});

Deno.test("04.8 trainBigramNet on emma at lr 0.1 reaches the lecture's 3.6892 at step 4", () => {
  const W = lectureW(true);
  const losses = trainBigramNet(W, emma.xs, emma.ys, { steps: 5, lr: 0.1, reg: 0 });
  ok(Array.isArray(losses) && losses.length === 5, `5 losses, one per step; got ${losses}`);
  if (losses[1] > losses[0]) {
    throw new KataAssertionError(
      `trainBigramNet: the loss went up (${losses[0]} → ${losses[1]}): step against the ` +
        "gradient, W -= lr · W.grad",
    );
  }
  assertClose("losses[0], before any update", losses[0], 3.7693049907684326, 1e-6);
  assertClose("losses[1]", losses[1], 3.7492127418518066, 1e-6);
  const why = "the same lr, a different path: set W.grad = null before each backward (gradients " +
    "accumulate)";
  if (Math.abs(losses[2] - 3.7291626930236816) > 1e-6) {
    throw new KataAssertionError(
      `trainBigramNet losses[2]: expected 3.7291627, got ${losses[2]}\n  ${why}`,
    );
  }
  // Lecture cell 52 prints 3.6891887187957764 after four updates at lr 0.1.
  assertClose("losses[4] (lecture 3.6892)", losses[4], 3.6891887187957764, 1e-6);
  // The returned losses are before each update, and W itself was updated in place.
  const after = bigramLoss(W, emma.xs, emma.ys, 0).itemSync();
  assertClose("bigramLoss(W) after 5 steps", after, 3.6692662239074707, 1e-6);
});

Deno.test("04.8 trainBigramNet defaults: 100 steps, lr 50, reg 0.01", () => {
  const losses = trainBigramNet(lectureW(true), emma.xs, emma.ys);
  ok(losses.length === 100, `the default is 100 steps; got ${losses.length} losses`);
  const W = lectureW(true);
  const explicit = trainBigramNet(W, emma.xs, emma.ys, { steps: 3, lr: 50, reg: 0.01 });
  const byDefault = trainBigramNet(lectureW(true), emma.xs, emma.ys, { steps: 3 });
  byDefault.forEach((l, k) =>
    assertClose(`losses[${k}] with the default lr and reg vs lr 50, reg 0.01`, l, explicit[k], 1e-6)
  );
});

Deno.test("04.8 trainBigramNet on names.txt at lr 50: 3.7686, then PyTorch's losses", async () => {
  const { xs, ys } = await namesBigrams();
  // Three of the lecture's 100 full-batch steps (deno task reproduce 04 runs all 100).
  const losses = trainBigramNet(lectureW(true), xs, ys, { steps: 3 });
  assertClose("first loss (lecture 3.7686)", losses[0], 3.7686, 5e-5);
  losses.forEach((l, k) =>
    assertClose(`losses[${k}] vs PyTorch`, l, torchBigram.neural_losses[k], 1e-4)
  );
});

Deno.test("04.9 sampleFromNet with W = log(N + 1) samples the count model's names", async () => {
  const { N, itos } = await namesBigrams();
  // softmax(log(N + 1)) is (N + 1) / row sum: the smoothed count model, as a net.
  const W = N.add(1).to("float32").log();
  const g = new Generator(2147483647);
  const names = [...sampleFromNet(W, itos, 2, g), ...sampleFromNet(W, itos, 18, g)];
  assertNames("sampleFromNet(log(N + 1)), 2 then 18 names", names, torchBigram.names);
});
