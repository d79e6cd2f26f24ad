/**
 * Kata 08, steps 08.1–08.4: the lecture's `Embedding`, `FlattenConsecutive`,
 * `Sequential` and 3-d `BatchNorm1d`, each checked against the library's
 * `nn` layer of the same name (PyTorch's numbers) and against float64
 * formulas. Run `deno test katas/08`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import { Generator, nn, randn, type Tensor, tensor } from "../../mod.ts";
import { assertNoGraph, assertShape, plain } from "./_checks.ts";
import { BatchNorm1d, Embedding, FlattenConsecutive, Linear, Sequential, Tanh } from "./layers.ts";

const ids = (rows: number[][]) => tensor(rows, { dtype: "int32" });

Deno.test("08.1 Embedding draws weight randn((numEmbeddings, embeddingDim)): nn.Embedding's numbers, same seed", () => {
  const emb = new Embedding(27, 24, { generator: new Generator(42) });
  const lib = new nn.Embedding(27, 24, { generator: new Generator(42) });
  assertShape("Embedding(27, 24).weight", emb.weight, [27, 24], "one row per character");
  assertAllClose("Embedding(27, 24).weight", plain(emb.weight), plain(lib.weight), 0);
  deepEqual(emb.parameters(), [emb.weight], "parameters(): [weight]");
});

Deno.test("08.1 Embedding.forward picks rows: (B, T) indices -> (B, T, C), gradients add up on repeats", () => {
  const emb = new Embedding(7, 5, { generator: new Generator(3) });
  const lib = new nn.Embedding(7, 5, { generator: new Generator(3) });
  const X = ids([[0, 6, 2, 2], [6, 6, 1, 0], [3, 4, 5, 6]]); // (3, 4), with repeats
  const y = emb.forward(X);
  assertShape("forward of (3, 4) indices", y, [3, 4, 5], "(B, T) -> (B, T, embeddingDim)");
  assertAllClose("Embedding.forward(X) = weight[X]", plain(y), plain(lib.forward(X)), 0);
  emb.weight.requiresGrad = true;
  lib.weight.requiresGrad = true;
  const w = randn([3, 4, 5], { generator: new Generator(4) });
  emb.forward(X).mul(w).sum().backward();
  lib.forward(X).mul(w).sum().backward();
  ok(emb.weight.grad !== null, "the loss reaches weight: forward must index the weight itself");
  assertAllClose(
    "weight.grad (a row looked up three times gets three gradients added)",
    plain(emb.weight.grad!),
    plain(lib.weight.grad!),
    1e-6,
  );
});

Deno.test("08.2 FlattenConsecutive(n): (B, T, C) -> (B, T/n, C·n), as nn.FlattenConsecutive", () => {
  const x = randn([4, 8, 10], { generator: new Generator(5) });
  for (const [n, shape] of [[2, [4, 4, 20]], [4, [4, 2, 40]]] as const) {
    const y = new FlattenConsecutive(n).forward(x);
    assertShape(`FlattenConsecutive(${n}) of (4, 8, 10)`, y, [...shape]);
    assertAllClose(
      `FlattenConsecutive(${n}).forward(x)`,
      plain(y),
      plain(new nn.FlattenConsecutive(n).forward(x)),
      0,
    );
  }
  deepEqual(new FlattenConsecutive(2).parameters(), [], "no parameters");
});

Deno.test("08.2 FlattenConsecutive puts time steps 2t and 2t+1 side by side, whole vectors", () => {
  // x[b, t, c] = 100·b + 10·t + c, so every number says where it came from
  const vals = Array.from(
    { length: 24 },
    (_, i) => 100 * Math.floor(i / 12) + 10 * (Math.floor(i / 3) % 4) + (i % 3),
  );
  const labelled = tensor(vals).reshape(2, 4, 3);
  const y = new FlattenConsecutive(2).forward(labelled).toArraySync() as number[][][];
  deepEqual(
    y[1][1],
    [120, 121, 122, 130, 131, 132],
    `example 1, new step 1 should be [x[1, 2, :], x[1, 3, :]] = [120, 121, 122, 130, 131, 132], ` +
      `got [${y[1][1]}]: the view keeps (B, T, C)'s memory order, no transpose`,
  );
});

Deno.test("08.2 FlattenConsecutive squeezes only the time dim: T = n gives (B, C·n), even for B = 1", () => {
  const x = randn([5, 8, 3], { generator: new Generator(6) });
  const y = new FlattenConsecutive(8).forward(x);
  assertShape("FlattenConsecutive(8) of (5, 8, 3)", y, [5, 24], "T/n = 1: squeeze dim 1 away");
  assertAllClose("FlattenConsecutive(8).forward(x)", plain(y), plain(x.reshape(5, 24)), 0);
  const one = new FlattenConsecutive(2).forward(randn([1, 2, 3], { generator: new Generator(7) }));
  assertShape(
    "FlattenConsecutive(2) of a batch of ONE (1, 2, 3)",
    one,
    [1, 6],
    "squeeze(1), not squeeze(): the batch dim stays even when it is 1 (sampling feeds one context)",
  );
});

Deno.test("08.3 Sequential.forward feeds each layer the previous layer's output (nn.Sequential's result)", () => {
  const g = () => new Generator(8);
  const a = [
    new nn.Linear(5, 7, { generator: g() }),
    new nn.Tanh(),
    new nn.Linear(7, 3, { generator: g() }),
  ];
  const seq = new Sequential(a);
  deepEqual(seq.layers, a, "layers keeps the list, in order");
  const x = randn([4, 5], { generator: new Generator(9) });
  const want = new nn.Sequential(...a).forward(x);
  let y: Tensor;
  try {
    y = seq.forward(x);
  } catch (e) {
    throw new KataAssertionError(
      `Sequential([Linear(5, 7), Tanh(), Linear(7, 3)]).forward threw ${(e as Error).message}\n` +
        `  each layer takes the previous layer's output: x = layer.forward(x)`,
    );
  }
  assertAllClose(
    "Sequential([Linear(5, 7), Tanh(), Linear(7, 3)]).forward(x)",
    plain(y),
    plain(want),
    1e-6,
  );
  const shapes = new Sequential([new Tanh(), new Tanh()]).forward(x.tanh().mul(3));
  assertAllClose(
    "Sequential([Tanh(), Tanh()]) is tanh(tanh(x))",
    plain(shapes),
    plain(x.tanh().mul(3).tanh().tanh()),
    1e-6,
  );
});

Deno.test("08.3 Sequential.parameters() lists every layer's parameters, layer after layer", () => {
  const g = new Generator(10);
  const layers = [
    new Embedding(27, 4, { generator: g }),
    new FlattenConsecutive(2),
    new Linear(8, 6, { generator: g, bias: false }),
    new Tanh(),
    new Linear(6, 27, { generator: g }),
  ];
  const seq = new Sequential(layers);
  const want = layers.flatMap((l) => l.parameters());
  equal(seq.parameters().length, 4, "Embedding 1 + Linear (no bias) 1 + Linear 2");
  ok(
    seq.parameters().every((p, i) => p === want[i]),
    "the same tensors (not copies), in layer order",
  );
  const out = seq.forward(tensor([[1, 2], [3, 4], [0, 0]], { dtype: "int32" }));
  assertShape("Sequential([Embedding, FlattenConsecutive(2), …]) of (3, 2) indices", out, [3, 27]);
});

/** A 3-d batch (B 4, T 3, C 5), each channel with its own offset and spread. */
function batch3(seed: number): Tensor {
  return randn([4, 3, 5], { generator: new Generator(seed) })
    .mul(tensor([1, 3, 0.5, 2, 1.5])).add(tensor([0, 2, -1, 5, 1]));
}

/** Per channel (last dim), the mean and variance over every other position, in float64. */
function channelStats(x: Tensor, unbiased: boolean): { mean: number[]; v: number[] } {
  const C = x.shape[x.ndim - 1], d = x.dataSync(), n = d.length / C;
  const mean = new Array(C).fill(0), v = new Array(C).fill(0);
  for (let i = 0; i < d.length; i++) mean[i % C] += d[i] / n;
  for (let i = 0; i < d.length; i++) v[i % C] += (d[i] - mean[i % C]) ** 2;
  return { mean, v: v.map((s) => s / (unbiased ? n - 1 : n)) };
}

function normalised(x: Tensor, mean: number[], v: number[]): { data: number[]; shape: number[] } {
  const C = mean.length;
  const data = Array.from(x.dataSync(), (a, i) => (a - mean[i % C]) / Math.sqrt(v[i % C] + 1e-5));
  return { data, shape: [...x.shape] };
}

Deno.test("08.4 BatchNorm1d on (N, C): gamma · (x − mean) / sqrt(var + eps) + beta with the unbiased var", () => {
  const bn = new BatchNorm1d(5);
  equal(bn.eps, 1e-5, "eps 1e-5");
  equal(bn.momentum, 0.1, "momentum 0.1");
  equal(bn.training, true, "a new layer is training");
  deepEqual(bn.parameters(), [bn.gamma, bn.beta], "parameters(): [gamma, beta]");
  const x = batch3(1).reshape(12, 5);
  const { mean, v } = channelStats(x, true);
  assertAllClose(
    "BatchNorm1d(5).forward(x) for x (12, 5)",
    plain(bn.forward(x)),
    normalised(x, mean, v),
    1e-5,
  );
});

Deno.test("08.4 BatchNorm1d on (B, T, C): statistics over dims 0 AND 1, every position of every example", () => {
  const x = batch3(2);
  const { mean, v } = channelStats(x, true);
  const y = new BatchNorm1d(5).forward(x);
  assertShape("BatchNorm1d(5).forward of (4, 3, 5)", y, [4, 3, 5]);
  const want = normalised(x, mean, v);
  const c = want.data.every((w, i) => Math.abs(w - y.dataSync()[i]) < 1e-4);
  if (!c) {
    const perStep = channelStats(x.slice(1, 0, 1), true); // what dims = 0 alone would use at t = 0
    const near =
      Math.abs(y.dataSync()[0] - normalised(x.slice(1, 0, 1), perStep.mean, perStep.v).data[0]) <
        1e-4;
    throw new KataAssertionError(
      `BatchNorm1d on a 3-d input: ${
        near
          ? "your mean and variance are taken over dim 0 only, one per time step: the lecture's bug. "
          : ""
      }The channels are the LAST dim; take the statistics over dims [0, 1] ` +
        `(the 4 × 3 = 12 vectors of the batch), with keepdim, unbiased`,
    );
  }
  assertAllClose("BatchNorm1d(5).forward(x) for x (4, 3, 5)", plain(y), want, 1e-5);
});

Deno.test("08.4 the lecture's bug as a test: over dim 0 alone the running statistics are per time step, and differ", () => {
  const x = batch3(3);
  const bn = new BatchNorm1d(5);
  bn.forward(x);
  // what the lecture's first version kept: 0.1 · x.mean(0, keepdim) — one mean per (t, c)
  const buggy = x.mean(0).mul(0.1).dataSync(); // (3, 5)
  if (bn.runningMean.size === 15) {
    throw new KataAssertionError(
      "runningMean holds 15 = T · C numbers after a (4, 3, 5) batch: the statistics were taken " +
        "over dim 0 only — the lecture's bug (it broadcasts, so nothing crashes). Reduce over " +
        "dims [0, 1]; the buffers keep one number per channel",
    );
  }
  equal(bn.runningMean.size, 5, "runningMean: one number per channel");
  const { mean, v } = channelStats(x, true);
  assertAllClose(
    "runningMean after one batch: 0.1 · mean over dims 0 and 1",
    plain(bn.runningMean.reshape(5)),
    {
      data: mean.map((m) => 0.1 * m),
      shape: [5],
    },
    1e-5,
  );
  assertAllClose(
    "runningVar after one batch: 0.9 + 0.1 · unbiased var over dims 0 and 1",
    plain(bn.runningVar.reshape(5)),
    {
      data: v.map((s) => 0.9 + 0.1 * s),
      shape: [5],
    },
    1e-5,
  );
  const differs = [0, 1, 2].every((t) =>
    [0, 1, 2, 3, 4].some((c) => Math.abs(buggy[t * 5 + c] - 0.1 * mean[c]) > 1e-3)
  );
  ok(differs, "the buggy per-time-step means differ from the fixed ones at every time step");
});

Deno.test("08.4 BatchNorm1d's buffers on 3-d input move as nn.BatchNorm1d's (which keeps the unbiased var)", () => {
  for (const momentum of [0.1, 0.5]) {
    const ours = new BatchNorm1d(5, { momentum });
    const lib = new nn.BatchNorm1d(5, { momentum });
    for (const seed of [4, 5, 6]) {
      const x = batch3(seed);
      x.requiresGrad = true; // as inside a network: the statistics are part of the graph
      ours.forward(x);
      lib.forward(batch3(seed));
    }
    const m = momentum === 0.1 ? "" : ` (momentum ${momentum})`;
    assertAllClose(
      `runningMean after 3 batches${m}`,
      plain(ours.runningMean.reshape(5)),
      plain(lib.runningMean),
      1e-5,
    );
    assertAllClose(
      `runningVar after 3 batches${m} (the unbiased batch variance goes in)`,
      plain(ours.runningVar.reshape(5)),
      plain(lib.runningVar),
      1e-5,
    );
    assertNoGraph("runningMean", ours.runningMean);
    assertNoGraph("runningVar", ours.runningVar);
  }
});

Deno.test("08.4 BatchNorm1d with training = false normalises with the buffers: nn.BatchNorm1d.eval()'s output", () => {
  const ours = new BatchNorm1d(5);
  const lib = new nn.BatchNorm1d(5);
  for (const seed of [7, 8]) {
    ours.forward(batch3(seed));
    lib.forward(batch3(seed));
  }
  ours.training = false;
  lib.eval();
  const before = Array.from(ours.runningMean.dataSync());
  const x = batch3(9);
  assertAllClose(
    "evaluation output on (4, 3, 5)",
    plain(ours.forward(x)),
    plain(lib.forward(x)),
    1e-5,
  );
  deepEqual(Array.from(ours.runningMean.dataSync()), before, "evaluation leaves the buffers alone");
  const one = x.slice(0, 0, 1);
  assertAllClose(
    "one example (1, 3, 5) in evaluation (its own batch variance would be NaN)",
    plain(ours.forward(one)),
    plain(lib.forward(one)),
    1e-5,
  );
});
