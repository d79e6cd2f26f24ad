/**
 * Kata 07, steps 07.2–07.5 (exercise 1): every gradient by hand, each stage
 * checked on its own against autograd (`retainGrad()`), from the gradient
 * autograd found at the stage's output. Run `deno test katas/07`.
 *
 * Two networks: the lecture's (its first batch, from the loss) and a small one
 * whose sizes all differ — n 13, block 4, embedding 5, hidden 7, vocab 11 —
 * so that a transposed or un-summed gradient has the wrong shape; the small
 * one starts from a random gradient at `logprobs`, so that gradients that
 * vanish from the real loss (through the row maxima) do not.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import {
  assertGrad,
  type Case,
  EXERCISE1_ORDER,
  lectureCase,
  randomUpstream,
  SMALL,
  smallCase,
  tensorOf,
} from "./_checks.ts";
import {
  backwardBatchNorm,
  backwardInput,
  backwardOutput,
  backwardSoftmax,
  dLogprobs,
} from "./manual_backward.ts";
import { cmp } from "./chunks.ts";

/** Asserts each named gradient against autograd, in order. */
function expectGrads(step: string, c: Case, grads: object, names: readonly string[]): void {
  const got = grads as Record<string, never>;
  for (const name of names) {
    assertGrad(step, name, got[`d${name}`], tensorOf(c, name as (typeof EXERCISE1_ORDER)[number]));
  }
}

const SOFTMAX = [
  "probs",
  "counts_sum_inv",
  "counts_sum",
  "counts",
  "norm_logits",
  "logit_maxes",
  "logits",
];
const BATCHNORM = [
  "bngain",
  "bnbias",
  "bnraw",
  "bnvar_inv",
  "bnvar",
  "bndiff2",
  "bndiff",
  "bnmeani",
  "hprebn",
];

Deno.test("07.2 dLogprobs: -1/n at each row's target, 0 everywhere else", () => {
  const c = smallCase();
  c.f.loss.backward();
  assertGrad("07.2", "logprobs", dLogprobs(c.f.logprobs, c.Yb), c.f.logprobs);
  const lecture = dLogprobs(c.f.logprobs.detach(), c.Yb).dataSync();
  equal(lecture.filter((v) => v !== 0).length, SMALL.n, "one non-zero entry per row");
});

Deno.test("07.2 backwardSoftmax from the loss: dprobs … dlogits match autograd (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  const s = backwardSoftmax(c.f, c.f.logprobs.grad!);
  expectGrads("07.2", c, s, SOFTMAX);
});

Deno.test("07.2 backwardSoftmax from any upstream gradient: sums over each row, and the max's gradient flows to its argmax", () => {
  // From a random dlogprobs the rows of dnorm_logits no longer sum to zero, so dlogit_maxes
  // matters: it must reach dlogits, at the column where each row's max was.
  const c = smallCase();
  randomUpstream(c.f.logprobs);
  const s = backwardSoftmax(c.f, c.f.logprobs.grad!);
  expectGrads("07.2", c, s, SOFTMAX);
});

Deno.test("07.3 backwardOutput: dh, dW2, db2 and dhpreact match autograd (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  expectGrads("07.3", c, backwardOutput(c.f, c.p, c.f.logits.grad!), ["h", "W2", "b2", "hpreact"]);
});

Deno.test("07.3 backwardOutput at other sizes: matmul gradients untransposed, db2 summed over rows, tanh' = 1 - h²", () => {
  const c = smallCase(8);
  randomUpstream(c.f.logprobs, 12);
  expectGrads("07.3", c, backwardOutput(c.f, c.p, c.f.logits.grad!), ["h", "W2", "b2", "hpreact"]);
});

Deno.test("07.4 backwardBatchNorm: dbngain … dhprebn match autograd (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  expectGrads("07.4", c, backwardBatchNorm(c.f, c.p, c.f.hpreact.grad!), BATCHNORM);
});

Deno.test("07.4 backwardBatchNorm at n = 13: sums over the batch keep (1, nHidden); the variance divides by n - 1", () => {
  const c = smallCase(9);
  randomUpstream(c.f.logprobs, 13);
  expectGrads("07.4", c, backwardBatchNorm(c.f, c.p, c.f.hpreact.grad!), BATCHNORM);
});

Deno.test("07.5 backwardInput: dembcat, dW1, db1, demb and dC match autograd (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  const i = backwardInput(c.f, c.p, c.Xb, c.f.hprebn.grad!);
  expectGrads("07.5", c, i, ["embcat", "W1", "b1", "emb", "C"]);
});

Deno.test("07.5 dC adds up the gradient of every lookup: 52 lookups into 11 rows of C, rows repeat", () => {
  const c = smallCase(10);
  randomUpstream(c.f.logprobs, 14);
  const x = Array.from(c.Xb.dataSync());
  ok(new Set(x).size < x.length, "the batch looks some rows up more than once");
  const i = backwardInput(c.f, c.p, c.Xb, c.f.hprebn.grad!);
  expectGrads("07.5", c, i, ["embcat", "W1", "b1", "emb", "C"]);
});

Deno.test("07.5 exercise 1 in full: all 26 gradients from the loss, printed as the lecture prints them", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  const dlogprobs = dLogprobs(c.f.logprobs, c.Yb);
  const s = backwardSoftmax(c.f, dlogprobs);
  const o = backwardOutput(c.f, c.p, s.dlogits);
  const b = backwardBatchNorm(c.f, c.p, o.dhpreact);
  const i = backwardInput(c.f, c.p, c.Xb, b.dhprebn);
  const all: Record<string, never> = { dlogprobs, ...s, ...o, ...b, ...i } as never;
  const lines = EXERCISE1_ORDER.map((name) => cmp(name, all[`d${name}`], tensorOf(c, name)));
  console.log(lines.map((l) => l.line).join("\n"));
  const failed = EXERCISE1_ORDER.filter((_, k) => !lines[k].approximate);
  if (failed.length > 0) {
    throw new KataAssertionError(
      `07.5 exercise 1: not approximately equal to autograd: ${failed.join(", ")} ` +
        `(the first one is where the chain goes wrong)`,
    );
  }
  deepEqual(failed, []);
});
