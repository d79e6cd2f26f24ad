/**
 * Kata 06, step 06.5: the lecture's `Linear`, `BatchNorm1d` and `Tanh`
 * classes, checked against float64 formulas and against the library's
 * `nn.BatchNorm1d` (PyTorch's numbers) where the two agree. Run
 * `deno test katas/06`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import { Generator, nn, randn, type Tensor, tensor } from "../../mod.ts";
import { assertNoGraph, assertShape, columnStats, normalise, rows } from "./_checks.ts";
import { BatchNorm1d, Linear, Tanh } from "./modules.ts";

/** A batch of 6 rows and 4 features, each feature with its own offset and spread. */
function batch(seed: number): Tensor {
  const g = new Generator(seed);
  return randn([6, 4], { generator: g }).mul(tensor([1, 3, 0.5, 2])).add(tensor([0, 2, -1, 5]));
}

const flat = (t: Tensor) => ({ data: t.dataSync(), shape: t.shape });

Deno.test("06.5 Linear: weight randn((fanIn, fanOut)) / sqrt(fanIn), bias zeros or none; out = x @ W + b", () => {
  const lin = new Linear(7, 5, { generator: new Generator(11) });
  const w = randn([7, 5], { generator: new Generator(11) }).div(Math.sqrt(7));
  assertAllClose("weight = randn((7, 5)) / √7", flat(lin.weight), flat(w), 1e-6);
  ok(lin.bias !== null, "bias by default");
  assertShape("bias", lin.bias!, [5]);
  ok(lin.bias!.dataSync().every((v) => v === 0), "the bias starts at zero");
  deepEqual(lin.parameters(), [lin.weight, lin.bias], "parameters(): [weight, bias]");
  const x = randn([3, 7], { generator: new Generator(12) });
  const y = lin.forward(x);
  assertAllClose("forward(x) = x @ weight (+ zero bias)", flat(y), flat(x.matmul(w)), 1e-5);
  equal(lin.out, y, "forward keeps its output in out");
  const noBias = new Linear(30, 100, { bias: false, generator: new Generator(1) });
  equal(noBias.bias, null, "bias: false leaves the bias out");
  deepEqual(noBias.parameters(), [noBias.weight], "parameters() without bias: [weight]");
});

Deno.test("06.5 BatchNorm1d in training: gamma · (x − mean) / sqrt(var + eps) + beta, with the unbiased var", () => {
  const bn = new BatchNorm1d(4);
  equal(bn.eps, 1e-5, "eps 1e-5");
  equal(bn.momentum, 0.1, "momentum 0.1");
  equal(bn.training, true, "a new layer is training");
  assertShape("gamma", bn.gamma, [4]);
  ok(
    bn.gamma.dataSync().every((v) => v === 1) && bn.beta.dataSync().every((v) => v === 0),
    "gamma ones, beta zeros",
  );
  deepEqual(bn.parameters(), [bn.gamma, bn.beta], "parameters(): [gamma, beta]");
  const x = batch(1);
  const { mean, v } = columnStats(rows(x), true);
  const y = bn.forward(x);
  equal(bn.out, y, "forward keeps its output in out");
  assertAllClose("BatchNorm1d(4).forward(x) (x.var(0) is unbiased: / (n - 1))", flat(y), {
    data: normalise(rows(x), mean, v, 1e-5),
    shape: [6, 4],
  }, 1e-5);
  const scaled = new BatchNorm1d(4, { eps: 0.5 });
  scaled.gamma = tensor([2, 1, 0.5, -1]);
  scaled.beta = tensor([0, 1, 2, 3]);
  assertAllClose("with eps 0.5 and other gamma, beta", flat(scaled.forward(x)), {
    data: normalise(rows(x), mean, v, 0.5, [2, 1, 0.5, -1], [0, 1, 2, 3]),
    shape: [6, 4],
  }, 1e-5);
});

Deno.test("06.5 the one difference from nn.BatchNorm1d: PyTorch normalises with the BIASED batch variance", () => {
  const x = batch(2);
  const ours = new BatchNorm1d(4).forward(x).dataSync();
  const torch = new nn.BatchNorm1d(4).forward(x).dataSync();
  const n = 6, { v } = columnStats(rows(x), false);
  // ours = torch · sqrt((var_b + eps) / (var_u + eps)), column by column
  const ratio = v.map((vb) => Math.sqrt((vb + 1e-5) / (vb * n / (n - 1) + 1e-5)));
  if (ours.every((a, i) => Math.abs(a - torch[i]) < 1e-6)) {
    throw new KataAssertionError(
      "BatchNorm1d.forward equals nn.BatchNorm1d's in training: that is PyTorch's biased " +
        "variance; the lecture's class normalises with x.var(0), the unbiased one (/ (n − 1))",
    );
  }
  assertAllClose(
    "ours = nn.BatchNorm1d's · sqrt((var_biased + eps) / (var_unbiased + eps))",
    {
      data: ours,
      shape: [6, 4],
    },
    { data: Array.from(torch, (t, i) => t * ratio[i % 4]), shape: [6, 4] },
    1e-5,
  );
});

Deno.test("06.5 BatchNorm1d's running buffers: (1 − momentum) · running + momentum · batch, as nn.BatchNorm1d's", () => {
  for (const momentum of [0.1, 0.5]) {
    const ours = new BatchNorm1d(4, { momentum });
    const torch = new nn.BatchNorm1d(4, { momentum });
    for (const seed of [3, 4, 5]) {
      const x = batch(seed);
      x.requiresGrad = true; // as inside a network: the statistics are part of the graph
      ours.forward(x);
      torch.forward(batch(seed));
    }
    const name = momentum === 0.1 ? "" : ` (momentum ${momentum})`;
    equal(ours.runningMean.size, 4, `runningMean holds one number per feature${name}`);
    assertAllClose(
      `runningMean after 3 batches${name}`,
      {
        data: ours.runningMean.dataSync(),
        shape: [4],
      },
      flat(torch.runningMean),
      1e-5,
    );
    assertAllClose(
      `runningVar after 3 batches${name} (PyTorch keeps the unbiased variance here)`,
      {
        data: ours.runningVar.dataSync(),
        shape: [4],
      },
      flat(torch.runningVar),
      1e-5,
    );
    assertNoGraph("runningMean", ours.runningMean, "06.5");
    assertNoGraph("runningVar", ours.runningVar, "06.5");
  }
});

Deno.test("06.5 BatchNorm1d with training = false uses the running buffers: nn.BatchNorm1d.eval()'s output", () => {
  const ours = new BatchNorm1d(4);
  const torch = new nn.BatchNorm1d(4);
  for (const seed of [6, 7]) {
    ours.forward(batch(seed));
    torch.forward(batch(seed));
  }
  ours.training = false;
  torch.eval();
  const before = Array.from(ours.runningMean.dataSync());
  const x = batch(8);
  assertAllClose("evaluation output", flat(ours.forward(x)), flat(torch.forward(x)), 1e-5);
  deepEqual(Array.from(ours.runningMean.dataSync()), before, "evaluation leaves the buffers alone");
  const one = ours.forward(x.slice(0, 0, 1));
  assertAllClose(
    "one example in evaluation (its own batch variance would be NaN)",
    flat(one),
    flat(torch.forward(x.slice(0, 0, 1))),
    1e-5,
  );
});

Deno.test("06.5 Tanh keeps tanh(x) in out and has no parameters", () => {
  const t = new Tanh();
  const x = tensor([[-2, 0, 0.5], [3, -0.1, 1]]);
  const y = t.forward(x);
  assertAllClose("Tanh().forward(x)", flat(y), {
    data: [-2, 0, 0.5, 3, -0.1, 1].map(Math.tanh),
    shape: [2, 3],
  }, 1e-6);
  equal(t.out, y, "forward keeps its output in out");
  deepEqual(t.parameters(), [], "no parameters");
});
