/**
 * Kata 05, steps 05.3–05.5: the parameters, the forward pass and the loss.
 * Run `deno test katas/05`.
 *
 * The first values of each parameter come from PyTorch running the lecture's
 * code (testdata/kata05_crosscheck.py); the forward pass is checked against a
 * float64 reference written with plain loops (`_checks.ts`).
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, assertClose } from "../_lib/assert.ts";
import { F, Generator, noGrad, randint, tensor } from "../../mod.ts";
import { plainParams, referenceCrossEntropy, referenceForward } from "./_checks.ts";
import {
  embed,
  forward,
  hiddenLayer,
  initParams,
  mlpLoss,
  naiveCrossEntropy,
  numParameters,
  parameters,
} from "./mlp.ts";

/** A small model whose sizes all differ: block 4, embedding 5, hidden 7, vocab 27. */
function smallModel(seed = 1) {
  const config = { blockSize: 4, embedding: 5, hidden: 7 };
  const p = initParams(new Generator(seed), config);
  const X = randint(0, 27, [6, 4], { generator: new Generator(seed + 100) }); // (6, 4)
  return { p, X, config };
}

const shapeOf = (t: { shape: readonly number[] }) => `(${t.shape.join(", ")})`;

Deno.test("05.3 initParams draws C, W1, b1, W2, b2 from the generator, in the lecture's order", () => {
  const p = initParams(new Generator(2147483647));
  deepEqual(
    [p.C, p.W1, p.b1, p.W2, p.b2].map(shapeOf),
    ["(27, 10)", "(30, 200)", "(200)", "(200, 27)", "(27)"],
    "shapes of C, W1, b1, W2, b2",
  );
  // torch.randn with Generator().manual_seed(2147483647), drawn in this order:
  const first: [string, ArrayLike<number>, number[]][] = [
    ["C[0, :3]", p.C.dataSync(), [1.5673619508743286, -0.2372923195362091, -0.027384605258703232]],
    ["W1[0, :3]", p.W1.dataSync(), [-1.1707007884979248, 0.07193740457296371, -1.8492522239685059]],
    ["b1[:3]", p.b1.dataSync(), [-2.0704636573791504, -0.9859631061553955, 0.03212256729602814]],
    ["W2[0, :3]", p.W2.dataSync(), [0.7262576222419739, 1.494913101196289, -1.5009112358093262]],
    ["b2[:3]", p.b2.dataSync(), [0.13731364905834198, 1.2041877508163452, 1.9441583156585693]],
  ];
  for (const [name, got, want] of first) {
    want.forEach((w, i) =>
      assertClose(`${name}[${i}] (draw order C, W1, b1, W2, b2)`, got[i], w, 0)
    );
  }
  ok([p.C, p.W1, p.b1, p.W2, p.b2].every((t) => t.requiresGrad), "every parameter requires grad");
});

Deno.test("05.3 the lecture's model has 11,897 parameters (the first one, 2-d embeddings: 3,481)", () => {
  const p = initParams(new Generator(2147483647));
  const ps = parameters(p);
  equal(ps.length, 5, "parameters(p) lists C, W1, b1, W2, b2");
  [p.C, p.W1, p.b1, p.W2, p.b2].forEach((t, i) => equal(ps[i], t, `parameters(p)[${i}]`));
  equal(numParameters(p), 11_897, "27·10 + 30·200 + 200 + 200·27 + 27");
  const first = initParams(new Generator(1), { embedding: 2, hidden: 100 });
  equal(numParameters(first), 3_481, "27·2 + 6·100 + 100 + 100·27 + 27");
  const { p: small } = smallModel();
  deepEqual(
    parameters(small).map(shapeOf),
    ["(27, 5)", "(20, 7)", "(7)", "(7, 27)", "(27)"],
    "block 4, embedding 5, hidden 7: W1 is (blockSize · embedding, hidden)",
  );
});

Deno.test("05.4 embed is C[X]: one row of C for every character of every context", () => {
  const C = tensor([[0, 1], [10, 11], [20, 21], [30, 31], [40, 41]]);
  const X = tensor([[0, 0, 3], [4, 2, 1]], { dtype: "int32" });
  const emb = embed(C, X);
  equal(shapeOf(emb), "(2, 3, 2)", "C[X] has shape (contexts, blockSize, embedding)");
  deepEqual(emb.toArraySync(), [[[0, 1], [0, 1], [30, 31]], [[40, 41], [20, 21], [10, 11]]]);
});

Deno.test("05.4 hiddenLayer: emb.view(n, blockSize · embedding), then tanh(· @ W1 + b1)", () => {
  const { p, X } = smallModel();
  const ref = referenceForward(plainParams(p), X.dataSync(), 6);
  const emb = embed(p.C, X); // (6, 4, 5)
  const h = hiddenLayer(p, emb);
  // Each row of the view is the context's 4 embeddings one after the other (20 numbers); a
  // transposed flatten, a hard-coded 30 or a missing tanh all give something else.
  assertAllClose("hiddenLayer (block 4, embedding 5, hidden 7)", {
    data: h.dataSync(),
    shape: h.shape,
  }, {
    data: ref.h,
    shape: [6, 7],
  }, 1e-5);
  ok(h.dataSync().every((v) => v >= -1 && v <= 1), "tanh keeps every hidden activation in [-1, 1]");
});

Deno.test("05.4 forward returns the logits, hiddenLayer(C[X]) @ W2 + b2, with gradients", () => {
  const { p, X } = smallModel(2);
  const ref = referenceForward(plainParams(p), X.dataSync(), 6);
  const logits = forward(p, X);
  assertAllClose("forward (6 contexts, 27 logits each)", {
    data: logits.dataSync(),
    shape: logits.shape,
  }, {
    data: ref.logits,
    shape: [6, 27],
  }, 1e-4);
  // d(sum of logits)/d b2 = one per row; d/d W2[u, c] = Σ_i h[i, u].
  logits.sum().backward();
  ok(p.b2.grad !== null && p.W2.grad !== null && p.C.grad !== null, "gradients reach W2, b2 and C");
  assertAllClose("b2.grad", { data: p.b2.grad!.dataSync(), shape: p.b2.grad!.shape }, {
    data: new Array(27).fill(6),
    shape: [27],
  });
  const colSums = Array.from({ length: 7 * 27 }, (_, k) => {
    const u = Math.floor(k / 27);
    let s = 0;
    for (let i = 0; i < 6; i++) s += ref.h[i * 7 + u];
    return s;
  });
  assertAllClose("W2.grad", { data: p.W2.grad!.dataSync(), shape: p.W2.grad!.shape }, {
    data: colSums,
    shape: [7, 27],
  }, 1e-4);
});

Deno.test("05.5 naiveCrossEntropy: exp, normalise rows, -mean(log prob of each target)", () => {
  const logits = tensor([[1, 0, -1, 0.5], [0.2, 2, 0, -1], [-0.5, 0.3, 0.8, 0]], {
    requiresGrad: true,
  });
  const Y = tensor([0, 3, 2], { dtype: "int32" });
  const loss = naiveCrossEntropy(logits, Y);
  equal(loss.shape.length, 0, "the loss is a scalar");
  const want = referenceCrossEntropy(logits.dataSync(), [0, 3, 2], 4);
  assertClose("naiveCrossEntropy", loss.itemSync(), want, 1e-5);
  assertClose("F.crossEntropy gives the same", F.crossEntropy(logits, Y).itemSync(), want, 1e-5);
  loss.backward();
  // dloss/dlogits = (softmax - onehot) / n
  const g = logits.grad!.dataSync(), x = logits.dataSync();
  for (let i = 0; i < 3; i++) {
    const row = Array.from(x.subarray(i * 4, i * 4 + 4));
    const z = row.reduce((s, v) => s + Math.exp(v), 0);
    row.forEach((v, c) => {
      const want = (Math.exp(v) / z - (c === [0, 3, 2][i] ? 1 : 0)) / 3;
      assertClose(`logits.grad[${i}, ${c}]`, g[i * 4 + c], want, 1e-5);
    });
  }
});

Deno.test("05.5 with logits of 100, exp overflows: the hand-written loss is not finite, F.crossEntropy is", () => {
  // exp(100) ≈ 2.7e43 is beyond float32's 3.4e38: counts become Infinity and Infinity / Infinity
  // is NaN (lecture 32:49). F.crossEntropy subtracts each row's max first, so nothing overflows.
  const logits = tensor([[100, 0, 0], [0, 100, 50], [-2, 100, 3]]);
  const Y = tensor([0, 2, 1], { dtype: "int32" });
  const naive = naiveCrossEntropy(logits, Y).itemSync();
  ok(!Number.isFinite(naive), `the hand-written version gives ${naive} (expected NaN or Infinity)`);
  const fused = F.crossEntropy(logits, Y).itemSync();
  assertClose("F.crossEntropy at logits of 100", fused, 50 / 3, 1e-5);
});

Deno.test("05.5 mlpLoss is F.crossEntropy(forward(p, X), Y): finite when the logits reach 100s", () => {
  const { p, X } = smallModel(3);
  const Y = randint(0, 27, [6], { generator: new Generator(9) });
  noGrad(() => p.W2.mul_(40)); // logits of a few hundred
  const ref = referenceForward(plainParams(p), X.dataSync(), 6);
  ok(ref.logits.some((v) => Math.abs(v) > 100), "the test model has logits beyond 100");
  const loss = mlpLoss(p, X, Y);
  const want = referenceCrossEntropy(ref.logits, Y.dataSync(), 27);
  ok(Number.isFinite(loss.itemSync()), `mlpLoss gave ${loss.itemSync()}: use F.crossEntropy`);
  assertClose("mlpLoss", loss.itemSync(), want, 1e-4);
  loss.backward();
  ok(parameters(p).every((q) => q.grad !== null), "backward reaches every parameter");
  ok(p.W1.grad!.dataSync().every(Number.isFinite), "W1.grad is finite");
});
