import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { arange, ones, randn, tensor, zeros } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import * as nn from "./mod.ts";

Deno.test("Linear computes x @ W.T + b on batched input", () => {
  const fc = new nn.Linear(3, 2);
  fc.loadStateDict({ weight: tensor([[1, 2, 3], [-1, 0, 1]]), bias: tensor([0.5, -0.5]) });
  const x = arange(0, 12).to("float32").reshape(2, 2, 3); // (B, T, in)
  assertClose(fc.forward(x), [[[8.5, 1.5], [26.5, 1.5]], [[44.5, 1.5], [62.5, 1.5]]]);
  equal(new nn.Linear(3, 2, { bias: false }).bias, null);
});

Deno.test("Linear on (B, T, in) gives the gradients of x @ W.T + b (one flattened matmul)", () => {
  const g = new Generator(3);
  const fc = new nn.Linear(5, 3, { generator: g });
  const x = randn([2, 4, 5], { generator: g, requiresGrad: true });
  const r = randn([2, 4, 3], { generator: g });
  fc.forward(x).mul(r).sum().backward();
  const [gx, gw, gb] = [x.grad!, fc.weight.grad!, fc.bias!.grad!].map((t) => t.dataSync());
  x.grad = null;
  fc.zeroGrad();
  x.matmul(fc.weight.t()).add(fc.bias!).mul(r).sum().backward();
  assertClose(x.grad!.reshape(40), [...gx], { atol: 1e-6, rtol: 1e-6 });
  assertClose(fc.weight.grad!.reshape(15), [...gw], { atol: 1e-6, rtol: 1e-6 });
  assertClose(fc.bias!.grad!, [...gb], { atol: 1e-6, rtol: 1e-6 });
  deepEqual(fc.forward(randn([5])).shape, [3]);
});

Deno.test("Linear refuses input of the wrong width with a ShapeError naming both widths", () => {
  const fc = new nn.Linear(30, 200);
  throws(() => fc.forward(zeros([32, 27])), {
    name: "ShapeError",
    message: "Linear: expected input with last dimension 30, got 27 (input shape (32, 27))",
  });
  throws(() => new nn.Linear(0, 3), {
    name: "RangeError",
    message: "Linear: inFeatures must be an integer >= 1, got 0",
  });
});

Deno.test("Embedding picks rows and refuses float indices", () => {
  const emb = new nn.Embedding(4, 2);
  emb.loadStateDict({ weight: tensor([[0, 1], [2, 3], [4, 5], [6, 7]]) });
  deepEqual(emb.forward(tensor([[3, 0]], { dtype: "int32" })).toArraySync(), [[[6, 7], [0, 1]]]);
  throws(() => emb.forward(tensor([1.0])), { name: "DTypeError" });
  throws(() => new nn.Embedding(27, 2.5), {
    name: "RangeError",
    message: "Embedding: embeddingDim must be an integer >= 1, got 2.5",
  });
});

Deno.test("BatchNorm1d (N, C): batch statistics in training, running ones in eval", () => {
  const bn = new nn.BatchNorm1d(2);
  const x = tensor([[1, 10], [3, 20], [8, 60]]);
  const y = bn.forward(x);
  // channel 0: mean 4, biased var 26/3
  assertClose(y.slice(1, 0, 1).reshape(3), [
    -3 / Math.sqrt(26 / 3 + 1e-5),
    -1 / Math.sqrt(26 / 3 + 1e-5),
    4 / Math.sqrt(26 / 3 + 1e-5),
  ]);
  assertClose(bn.runningMean, [0.4, 3]);
  assertClose(bn.runningVar, [0.9 + 0.1 * 13, 0.9 + 0.1 * 700]); // unbiased: 26/2, 1400/2
  equal(bn.numBatchesTracked.itemSync(), 1);
  bn.eval();
  const ye = bn.forward(tensor([[0.4, 3]]));
  assertClose(ye, [[0, 0]]);
  equal(bn.numBatchesTracked.itemSync(), 1);
});

Deno.test("BatchNorm1d refuses channels-in-the-middle input and bad options", () => {
  const bn = new nn.BatchNorm1d(10);
  throws(() => bn.forward(zeros([4, 10, 3])), {
    name: "ShapeError",
    message: "BatchNorm1d: expected (N, 10) or (N, L, 10) input, got shape (4, 10, 3)",
  });
  throws(() => new nn.BatchNorm1d(10, { momentum: 1.5 }), {
    name: "RangeError",
    message: "BatchNorm1d: momentum must be a number in [0, 1], got 1.5",
  });
  const plain = new nn.BatchNorm1d(3, { affine: false });
  deepEqual(Object.keys(plain.stateDict()), ["running_mean", "running_var", "num_batches_tracked"]);
});

Deno.test("LayerNorm({ bias: false }) learns a gain and no shift (nanoGPT's bias=False)", () => {
  const ln = new nn.LayerNorm(3, { bias: false });
  deepEqual(Object.keys(ln.stateDict()), ["weight"]);
  equal(ln.bias, null);
  ln.loadStateDict({ weight: tensor([2, 2, 2]) });
  const y = ln.forward(tensor([[1, 2, 3]])).dataSync();
  const s = Math.sqrt(2 / 3 + 1e-5);
  deepEqual(Array.from(y, (v) => v.toFixed(4)), [-2 / s, 0, 2 / s].map((v) => v.toFixed(4)));
  equal(ln.toString(), "LayerNorm([3], eps=0.00001, elementwiseAffine=true, bias=false)");
  throws(() => new nn.LayerNorm(3, { bias: "no" as unknown as boolean }), {
    name: "TypeError",
    message: 'LayerNorm: bias must be true or false, got "no" (a string)',
  });
});

Deno.test("LayerNorm refuses a mismatched trailing dim", () => {
  throws(() => new nn.LayerNorm(4).forward(zeros([2, 5])), { name: "ShapeError" });
  throws(() => new nn.LayerNorm(4, { eps: -1 }), {
    name: "RangeError",
    message: "LayerNorm: eps must be a number >= 0, got -1",
  });
});

Deno.test("Tanh, ReLU and GELU apply their functions", () => {
  const x = tensor([-2, -0.5, 0.5, 2]);
  assertClose(new nn.Tanh().forward(x), [-0.9640276, -0.4621172, 0.4621172, 0.9640276]);
  assertClose(new nn.ReLU().forward(x), [0, 0, 0.5, 2]);
  assertClose(new nn.GELU().forward(x), [-0.0455003, -0.1542687, 0.3457313, 1.9544997]);
  assertClose(new nn.GELU({ approximate: "tanh" }).forward(x), [
    -0.0454023,
    -0.1542859,
    0.3457141,
    1.9545977,
  ]);
  throws(() => new nn.GELU({ approximate: "erf" as "none" }), { name: "TypeError" });
});

Deno.test("Dropout is reproducible with a generator and the identity in eval", () => {
  const x = ones([400]);
  const a = new nn.Dropout(0.3, { generator: new Generator(5) }).forward(x).dataSync();
  const b = new nn.Dropout(0.3, { generator: new Generator(5) }).forward(x).dataSync();
  deepEqual(a, b);
  const kept = a.filter((v) => v !== 0).length;
  ok(kept > 240 && kept < 320, `kept ${kept}`);
  ok(a.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  throws(() => new nn.Dropout(1.5), {
    name: "RangeError",
    message: "Dropout: p must be a number in [0, 1], got 1.5",
  });
});

Deno.test("FlattenConsecutive merges n steps (WaveNet) and squeezes a unit time dim", () => {
  const x = arange(0, 24).reshape(2, 4, 3); // (B, T, C)
  const y = new nn.FlattenConsecutive(2).forward(x);
  deepEqual(y.shape, [2, 2, 6]);
  deepEqual(y.toArraySync(), [[[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]], [
    [12, 13, 14, 15, 16, 17],
    [18, 19, 20, 21, 22, 23],
  ]]);
  deepEqual(new nn.FlattenConsecutive(4).forward(x).shape, [2, 12]);
  throws(() => new nn.FlattenConsecutive(3).forward(x), {
    name: "ShapeError",
    message:
      "FlattenConsecutive: expected (B, T, C) input with T divisible by 3, got shape (2, 4, 3)",
  });
});

Deno.test("the WaveNet stack: Embedding, FlattenConsecutive, Linear, BatchNorm1d (N, L, C), Tanh", () => {
  const g = new Generator(42);
  const model = new nn.Sequential(
    new nn.Embedding(27, 10, { generator: g }),
    new nn.FlattenConsecutive(2),
    new nn.Linear(20, 68, { bias: false, generator: g }),
    new nn.BatchNorm1d(68),
    new nn.Tanh(),
    new nn.FlattenConsecutive(2),
    new nn.Linear(136, 68, { bias: false, generator: g }),
    new nn.BatchNorm1d(68),
    new nn.Tanh(),
    new nn.FlattenConsecutive(2),
    new nn.Linear(136, 27, { generator: g }),
  );
  const ix = tensor([[0, 0, 0, 5, 13, 13, 1, 0], [0, 0, 0, 0, 0, 0, 0, 25]], { dtype: "int32" });
  const logits = model.forward(ix);
  deepEqual(logits.shape, [2, 27]);
  equal(model.at(-1) instanceof nn.Linear, true);
  equal(model.length, 11);
  throws(() => model.at(11), {
    name: "IndexError",
    message: "Sequential.at: index 11 is out of range: it has 11 modules (expected -11..10)",
  });
  logits.sum().backward();
  ok(model.parameters().every((p) => p.grad !== null));
});

Deno.test("init helpers: calculateGain, zeros_/ones_, kaiming refuses 1-d tensors", () => {
  equal(nn.calculateGain("tanh"), 5 / 3);
  equal(nn.calculateGain("leaky_relu", Math.sqrt(5)), Math.sqrt(2 / (1 + 5.000000000000001)));
  deepEqual([...nn.ones_(zeros([2])).dataSync()], [1, 1]);
  deepEqual([...nn.zeros_(randn([2])).dataSync()], [0, 0]);
  throws(() => nn.kaimingNormal_(zeros([5])), {
    name: "ShapeError",
    message: "Cannot compute fan in and fan out: the tensor needs 2 or more dims, got shape (5)",
  });
  deepEqual(nn.calculateFans(zeros([8, 3, 5])), [15, 40]);
});
