/**
 * Kata 07, steps 07.2–07.5 (exercise 1): every gradient by hand, each stage
 * checked on its own against autograd (`retainGrad()`), from the gradient
 * autograd found at the stage's output. Run `deno test katas/07`.
 *
 * Two networks: the lecture's (its first batch, from the loss) and a small one
 * whose sizes all differ — n 13, block 4, embedding 5, hidden 7, vocab 11 —
 * so that a transposed or un-summed gradient has the wrong shape; the small
 * one starts from a random gradient (at `logprobs`, or at `counts` for the
 * max), so that gradients that vanish from the real loss do not.
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
  backwardExpMax,
  backwardInput,
  backwardNormalise,
  backwardOutput,
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

const NORMALISE = ["probs", "counts_sum_inv", "counts_sum", "counts"];
const EXP_MAX = ["norm_logits", "logit_maxes", "logits"];
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

Deno.test("07.2 backwardNormalise from the loss: dprobs, dcounts_sum_inv, dcounts_sum, dcounts (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  expectGrads("07.2", c, backwardNormalise(c.f, c.f.logprobs.grad!), NORMALISE);
});

Deno.test("07.2 backwardNormalise from any upstream gradient: counts_sum_inv's gradient is summed over each row", () => {
  const c = smallCase();
  randomUpstream(c.f.logprobs);
  expectGrads("07.2", c, backwardNormalise(c.f, c.f.logprobs.grad!), NORMALISE);
});

Deno.test("07.2 backwardExpMax from the loss: dnorm_logits, dlogit_maxes, dlogits (the lecture's batch)", async () => {
  const c = await lectureCase();
  c.f.loss.backward();
  expectGrads("07.2", c, backwardExpMax(c.f, c.f.counts.grad!), EXP_MAX);
});

Deno.test("07.2 backwardExpMax from any upstream gradient: the max's gradient flows into logits at each row's argmax", () => {
  // From the loss (from anything at logprobs, in fact: log-softmax does not change when a row is
  // shifted) dlogit_maxes is zero up to rounding. From a random gradient at counts it is not,
  // and it must reach dlogits at the column where each row's maximum was.
  const c = smallCase();
  randomUpstream(c.f.counts);
  expectGrads("07.2", c, backwardExpMax(c.f, c.f.counts.grad!), EXP_MAX);
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
  const s = backwardNormalise(c.f, dlogprobs);
  const e = backwardExpMax(c.f, s.dcounts);
  const o = backwardOutput(c.f, c.p, e.dlogits);
  const b = backwardBatchNorm(c.f, c.p, o.dhpreact);
  const i = backwardInput(c.f, c.p, c.Xb, b.dhprebn);
  const all: Record<string, never> = { dlogprobs, ...s, ...e, ...o, ...b, ...i } as never;
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
