/**
 * Speed of the indexing and loss ops in the makemore-MLP step: `C[X]` vs the one-hot matmul it
 * replaces, and crossEntropy fused vs composed from logSoftmax + nllLoss (forward + backward).
 * Run: `deno bench -A bench/indexing_functional_bench.ts`.
 */

import { F, index, randint, randn } from "../mod.ts";

const C = randn([27, 10], { requiresGrad: true });
const X = randint(0, 27, [32, 3]);
const Y = randint(0, 27, [32]);
const logits = randn([32, 27], { requiresGrad: true });

Deno.bench("C[X], forward + backward (27x10 table, 32x3 indices)", {
  group: "embedding",
  baseline: true,
}, () => {
  C.grad = null;
  index(C, X).sum().backward();
});
Deno.bench("oneHot(X) @ C, forward + backward (the lecture's equivalent)", {
  group: "embedding",
}, () => {
  C.grad = null;
  F.oneHot(X, 27).to("float32").matmul(C).sum().backward();
});

Deno.bench("crossEntropy fused, forward + backward (32x27)", {
  group: "crossEntropy",
  baseline: true,
}, () => {
  logits.grad = null;
  F.crossEntropy(logits, Y).backward();
});
Deno.bench("logSoftmax + nllLoss, forward + backward (32x27)", { group: "crossEntropy" }, () => {
  logits.grad = null;
  F.nllLoss(F.logSoftmax(logits, 1), Y).backward();
});
