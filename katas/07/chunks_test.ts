/**
 * Kata 07, step 07.1: the lecture's network, its chunked forward pass and
 * `cmp`. Run `deno test katas/07`.
 *
 * PyTorch's numbers (testdata/lectures/backprop.json, testdata/gen_backprop.py)
 * come from the lecture's code with the lecture's seeds, the global
 * generator's included.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { F, Generator, tensor } from "../../mod.ts";
import { LECTURE_GLOBAL_SEED, lectureCase, SMALL, smallCase, TORCH } from "./_checks.ts";
import { cmp, initParams, numParameters, parameters } from "./chunks.ts";

const shapeOf = (t: { shape: readonly number[] }) => `(${t.shape.join(", ")})`;

Deno.test("07.1 initParams: C, W1, b1, W2, b2 from g, scaled as the lecture scales them; bngain, bnbias from gainGenerator", () => {
  const p = initParams(new Generator(2147483647), {
    gainGenerator: new Generator(LECTURE_GLOBAL_SEED),
  });
  deepEqual(
    parameters(p).map(shapeOf),
    ["(27, 10)", "(30, 64)", "(64)", "(64, 27)", "(27)", "(1, 64)", "(1, 64)"],
    "shapes of C, W1, b1, W2, b2, bngain, bnbias",
  );
  const names = ["C", "W1", "b1", "W2", "b2", "bngain", "bnbias"] as const;
  const scale: Record<string, string> = {
    C: "randn",
    W1: "randn · (5/3) / √30",
    b1: "randn · 0.1",
    W2: "randn · 0.1",
    b2: "randn · 0.1",
    bngain: "randn · 0.1 + 1, from gainGenerator",
    bnbias: "randn · 0.1, from gainGenerator after bngain",
  };
  names.forEach((name, k) => {
    const got = parameters(p)[k].dataSync();
    TORCH.first_values[name].forEach((want, i) =>
      assertClose(`${name}[${i}] (${scale[name]})`, got[i], want, 1e-7)
    );
  });
  ok(parameters(p).every((t) => t.requiresGrad), "every parameter requires grad");
});

Deno.test("07.1 the lecture's network has 4,137 parameters; exercise 4's (nHidden 200) 12,297", () => {
  const p = initParams(new Generator(1));
  equal(numParameters(p), 4_137, "27·10 + 30·64 + 64 + 64·27 + 27 + 64 + 64");
  equal(parameters(p).length, 7, "parameters: [C, W1, b1, W2, b2, bngain, bnbias]");
  equal(numParameters(initParams(new Generator(1), { nHidden: 200 })), 12_297);
  const { n: _, ...config } = SMALL;
  deepEqual(
    parameters(initParams(new Generator(1), config)).map(shapeOf),
    ["(11, 5)", "(20, 7)", "(7)", "(7, 11)", "(11)", "(1, 7)", "(1, 7)"],
    "vocab 11, block 4, embedding 5, hidden 7",
  );
});

Deno.test("07.1 forwardChunks: the lecture's first batch has loss 3.3377, as the notebook prints it", async () => {
  const { f, Yb } = await lectureCase();
  const shapes = Object.fromEntries(Object.entries(f).map(([k, t]) => [k, shapeOf(t)]));
  deepEqual(shapes, {
    emb: "(32, 3, 10)",
    embcat: "(32, 30)",
    hprebn: "(32, 64)",
    bnmeani: "(1, 64)",
    bndiff: "(32, 64)",
    bndiff2: "(32, 64)",
    bnvar: "(1, 64)",
    bnvar_inv: "(1, 64)",
    bnraw: "(32, 64)",
    hpreact: "(32, 64)",
    h: "(32, 64)",
    logits: "(32, 27)",
    logit_maxes: "(32, 1)",
    norm_logits: "(32, 27)",
    counts: "(32, 27)",
    counts_sum: "(32, 1)",
    counts_sum_inv: "(32, 1)",
    probs: "(32, 27)",
    logprobs: "(32, 27)",
    loss: "()",
  }, "the shapes of the chunks (keepdim where the lecture keeps the dimension)");
  // PyTorch: 3.337738513946533 for the chunks, 3.3377387523651123 for F.cross_entropy (cell 12)
  assertClose("loss of the first batch", f.loss.itemSync(), TORCH.lecture_batch.loss, 1e-6);
  equal(f.loss.itemSync().toFixed(4), "3.3377", "the lecture prints tensor(3.3377)");
  assertClose(
    "F.crossEntropy(logits, Yb) gives the same",
    F.crossEntropy(f.logits, Yb).itemSync(),
    TORCH.lecture_batch.loss,
    1e-6,
  );
  const row0 = Array.from(f.probs.dataSync().slice(0, 27), (v) => +v.toFixed(4));
  deepEqual(
    row0,
    TORCH.lecture_batch.probs_row0,
    "probs[0], as the lecture prints F.softmax(logits, 1)[0]",
  );
});

Deno.test("07.1 forwardChunks: BatchNorm divides by n - 1 (Bessel), normalises each column, uses bngain and bnbias", () => {
  const { f, p } = smallCase();
  // Each column of bnraw has mean 0 and unbiased variance var/(var + 1e-5), just below 1.
  const v = f.hprebn.var(0, { keepdim: true, unbiased: true }).dataSync();
  const bnvar = f.bnvar.dataSync();
  v.forEach((want, j) =>
    assertClose(`bnvar[0, ${j}] (1/(n-1) · Σ bndiff², n = 13)`, bnvar[j], want, 1e-5)
  );
  const mean = f.bnraw.mean(0).dataSync();
  mean.forEach((m, j) => assertClose(`bnraw column ${j} mean`, m, 0, 1e-5));
  const want = p.bngain.mul(f.bnraw).add(p.bnbias).tanh().dataSync();
  const h = f.h.dataSync();
  want.forEach((w, i) =>
    assertClose(`h[${Math.floor(i / 7)}, ${i % 7}] = tanh(bngain · bnraw + bnbias)`, h[i], w, 1e-6)
  );
});

Deno.test("07.1 cmp: exact, approximate (torch.allclose: rtol 1e-5, atol 1e-8) and maxdiff, as the lecture prints them", () => {
  const t = tensor([[1, -2, 3e-9], [4, 5, 6]], { requiresGrad: true });
  t.mul(tensor([[1, -2, 3e-9], [4, 5, 6]])).sum().backward(); // t.grad = those numbers
  const same = cmp("logprobs", tensor([[1, -2, 3e-9], [4, 5, 6]]), t);
  deepEqual([same.exact, same.approximate, same.maxdiff], [true, true, 0]);
  equal(same.line, "logprobs        | exact: True  | approximate: True  | maxdiff: 0.0");
  // within rtol 1e-5 of 4 (4e-5 + 1e-8) and within atol 1e-8 of 3e-9
  const near = cmp("h", tensor([[1, -2, 1e-8], [4 + 3.9e-5, 5, 6]]), t);
  deepEqual([near.exact, near.approximate], [false, true], "within rtol · |grad| + atol");
  assertClose("maxdiff", near.maxdiff, 3.9e-5, 1e-3);
  ok(
    near.line.startsWith("h               | exact: False | approximate: True  | maxdiff: 3.9"),
    near.line,
  );
  const far = cmp("W2", tensor([[1, -2, 2.1e-8], [4, 5, 6]]), t);
  deepEqual(
    [far.exact, far.approximate],
    [false, false],
    "1.8e-8 away from 3e-9 is beyond atol 1e-8",
  );
  ok(/\| approximate: False \| maxdiff: 1\.[78]\d*e-08$/.test(far.line), far.line);
  const shape = cmp("bnmeani", tensor([1, -2, 3e-9, 4, 5, 6]), t);
  deepEqual(
    [shape.exact, shape.approximate],
    [false, false],
    "a gradient of another shape never matches",
  );
  ok(shape.line.startsWith("bnmeani         |"), shape.line);
});
