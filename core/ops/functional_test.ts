import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { Generator } from "../random/generator.ts";
import { ones, tensor, zeros } from "./creation.ts";
import { embedding } from "./encoding.ts";
import { crossEntropy, mseLoss, nllLoss, softmax } from "./functional.ts";
import { F } from "./nn_functional.ts";
import { batchNorm, dropout, layerNorm } from "./normalization.ts";

const i32 = (v: number[]) => tensor(v, { dtype: "int32" });
const logits = tensor([[1, 2, 3], [0, -1, 4]]);

Deno.test("F holds the functional API under PyTorch's names in JavaScript casing", () => {
  deepEqual(Object.keys(F).sort(), [
    "batchNorm",
    "causalSoftmax",
    "crossEntropy",
    "dropout",
    "embedding",
    "gelu",
    "layerNorm",
    "linear",
    "logSoftmax",
    "mseLoss",
    "nllLoss",
    "oneHot",
    "relu",
    "softmax",
    "tanh",
  ]);
});

Deno.test("crossEntropy() equals logSoftmax + nllLoss and its gradient is (softmax - onehot) / N", () => {
  const x = tensor([[0.5, -1, 2, 0], [1, 1, 1, 1], [3, 0, -2, 1]], { requiresGrad: true });
  const t = i32([2, 0, 3]);
  const loss = crossEntropy(x, t);
  const ref = nllLoss(F.logSoftmax(x, 1), t);
  ok(Math.abs(loss.itemSync() - ref.itemSync()) < 1e-6);
  loss.backward();
  const p = softmax(x, 1).dataSync(), g = x.grad!.dataSync();
  const tv = [2, 0, 3];
  for (let i = 0; i < 12; i++) {
    const onehot = tv[Math.floor(i / 4)] === i % 4 ? 1 : 0;
    ok(Math.abs(g[i] - (p[i] - onehot) / 3) < 1e-7, `grad ${i}`);
  }
});

Deno.test("crossEntropy() names the dtype of non-int32 targets", () => {
  throws(() => crossEntropy(logits, tensor([0, 1])), {
    name: "DTypeError",
    message:
      "crossEntropy: targets must be int32 class indices, got float32 (convert with .to('int32'))",
  });
  throws(() => crossEntropy(logits, tensor([true, false])), {
    name: "DTypeError",
    message: "crossEntropy: targets must be int32 class indices, got bool",
  });
});

Deno.test("crossEntropy() checks shapes and target range", () => {
  throws(() => crossEntropy(logits, i32([0, 1, 2])), {
    name: "ShapeError",
    message: "crossEntropy: expected targets of shape (2) for input of shape (2, 3), got (3)",
  });
  throws(() => crossEntropy(zeros([2, 3, 4]), i32([0, 1])), {
    name: "ShapeError",
    message: "crossEntropy: expected (N, C) input, got shape (2, 3, 4)",
  });
  throws(() => crossEntropy(logits, i32([0, 3])), {
    name: "IndexError",
    message: "crossEntropy: target 3 at position 1 is out of bounds for 3 classes",
  });
  throws(() => crossEntropy(logits, i32([0, 1]), { reduction: "avg" as "mean" }), {
    name: "TypeError",
    message: 'crossEntropy: reduction must be "mean", "sum" or "none", got "avg"',
  });
});

Deno.test("nllLoss() and embedding() refuse non-int32 indices", () => {
  throws(() => nllLoss(logits, tensor([true, false])), {
    name: "DTypeError",
    message: "nllLoss: targets must be int32 class indices, got bool",
  });
  throws(() => embedding(tensor([0, 1]), zeros([3, 2])), {
    name: "DTypeError",
    message: "embedding: indices must be int32, got float32",
  });
  throws(() => embedding(i32([0]), zeros([3])), {
    name: "ShapeError",
    message: "embedding: weight must be 2-d, got shape (3)",
  });
});

Deno.test("softmax() refuses integer input and out-of-range dims", () => {
  throws(() => softmax(i32([1, 2]), 0), {
    name: "DTypeError",
    message: "softmax: expected a float32 input, got int32",
  });
  throws(() => softmax(logits, 2), {
    name: "IndexError",
    message: "softmax: dim 2 is out of range for a 2-d tensor (expected -2..1)",
  });
});

Deno.test("softmax() detects an in-place change of its saved output before backward", () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = softmax(x, 0);
  const loss = y.sum(); // sum saves nothing, so the first check is softmax's
  y.detach().mul_(2);
  throws(() => loss.backward(), {
    name: "AutogradError",
    message:
      "Cannot run backward: a tensor needed for the gradient of softmax was modified in place (version 1, expected 0)",
  });
});

Deno.test("layerNorm() and batchNorm() check shapes", () => {
  throws(() => layerNorm(zeros([4, 5]), [6]), {
    name: "ShapeError",
    message: "layerNorm: normalizedShape (6) does not match the last dims of input shape (4, 5)",
  });
  throws(() => batchNorm(zeros([4, 5]), zeros([4]), ones([5]), { training: true }), {
    name: "ShapeError",
    message: "batchNorm: runningMean of shape (4) does not match 5 channels of input shape (4, 5)",
  });
  throws(() => batchNorm(zeros([4]), null, null), {
    name: "ShapeError",
    message: "batchNorm: expected (N, C) or (N, C, L) input, got (4)",
  });
  throws(() => batchNorm(zeros([4, 5]), null, null), {
    name: "TypeError",
    message: "batchNorm: runningMean and runningVar are required in evaluation (training: false)",
  });
});

Deno.test("mseLoss() broadcasts like PyTorch and throws on shapes that do not", () => {
  equal(mseLoss(tensor([[1, 2], [3, 4]]), tensor([1, 2])).itemSync(), 2);
  throws(() => mseLoss(zeros([2, 3]), zeros([2])), {
    name: "ShapeError",
    message: "sub: cannot broadcast shapes (2, 3) and (2)",
  });
});

Deno.test("dropout() zeroes about p of the elements, scales the rest by 1/(1-p), and is seeded", () => {
  const x = ones([100, 100], { requiresGrad: true });
  const y = dropout(x, { p: 0.3, generator: new Generator(7) });
  const v = y.dataSync();
  let kept = 0;
  for (const e of v) {
    if (e !== 0) {
      kept++;
      ok(Math.abs(e - 1 / 0.7) < 1e-6);
    }
  }
  // 10,000 Bernoulli(0.7) draws: 3 standard deviations is 0.0137.
  ok(Math.abs(kept / 10000 - 0.7) < 0.0137, `kept ${kept}`);
  y.sum().backward();
  deepEqual(x.grad!.dataSync(), v);
  deepEqual(
    dropout(ones([50]), { p: 0.3, generator: new Generator(7) }).dataSync(),
    v.slice(0, 50),
  );
  equal(dropout(x, { training: false }), x);
  throws(() => dropout(x, { p: 1.5 }), {
    name: "RangeError",
    message: "dropout: p must be a number in [0, 1], got 1.5",
  });
});
