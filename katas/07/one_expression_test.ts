/**
 * Kata 07, steps 07.6–07.7 (exercises 2 and 3): the cross-entropy and
 * BatchNorm backward passes in one expression each. Run `deno test katas/07`.
 *
 * The lecture works in float32, as katagrad does, and finds maxdiffs of
 * 5.1e-9 (cross-entropy) and 9.3e-10 (BatchNorm) against PyTorch's autograd;
 * these tests ask for at most 1e-8, in float32, against katagrad's autograd.
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { assertClose } from "../_lib/assert.ts";
import { F, Generator, randint, randn } from "../../mod.ts";
import { assertGrad, lectureCase, randomUpstream, smallCase } from "./_checks.ts";
import { cmp } from "./chunks.ts";
import { batchNormBackward, crossEntropyBackward } from "./one_expression.ts";

Deno.test("07.6 crossEntropyBackward: dlogits in one expression, maxdiff ≤ 1e-8 in float32 (the lecture's batch)", async () => {
  const { f, Yb } = await lectureCase();
  f.loss.backward();
  const dlogits = crossEntropyBackward(f.logits, Yb);
  const c = cmp("logits", dlogits, f.logits);
  console.log(`${c.line}   (the lecture: exact: False | approximate: True | maxdiff: 5.12e-09)`);
  assertGrad("07.6", "logits", dlogits, f.logits);
  ok(c.maxdiff <= 1e-8, `07.6 dlogits: maxdiff ${c.maxdiff} > 1e-8`);
  // The lecture's picture: dlogits[0] · n is the softmax of row 0 with 1 taken off at its target.
  const row0 = Array.from(dlogits.dataSync().slice(0, 27)), target = Yb.dataSync()[0];
  row0.forEach((v, j) => ok(j === target ? v < 0 : v > 0, `07.6 dlogits[0, ${j}] = ${v}`));
  assertClose(
    "07.6 dlogits[0].sum() (each row sums to zero)",
    row0.reduce((a, b) => a + b, 0),
    0,
    1e-8,
  );
});

Deno.test("07.6 crossEntropyBackward at any batch size: (softmax - one_hot(Yb)) / n against F.crossEntropy", () => {
  for (const [n, classes, seed] of [[13, 11, 1], [5, 27, 2], [40, 3, 3]]) {
    const g = new Generator(seed);
    const logits = randn([n, classes], { generator: g }).mul(3);
    logits.requiresGrad = true;
    const Yb = randint(0, classes, [n], { generator: g });
    F.crossEntropy(logits, Yb).backward();
    const dlogits = crossEntropyBackward(logits, Yb);
    assertGrad("07.6", `logits (n ${n}, ${classes} classes)`, dlogits, logits);
  }
});

Deno.test("07.7 batchNormBackward: dhprebn in one expression, maxdiff ≤ 1e-8 in float32 (the lecture's batch)", async () => {
  const { f, p } = await lectureCase();
  f.loss.backward();
  const dhprebn = batchNormBackward(f.hpreact.grad!, p.bngain, f.bnvar_inv, f.bnraw);
  const c = cmp("hprebn", dhprebn, f.hprebn);
  console.log(`${c.line}   (the lecture: exact: False | approximate: True | maxdiff: 9.31e-10)`);
  assertGrad("07.7", "hprebn", dhprebn, f.hprebn);
  ok(c.maxdiff <= 1e-8, `07.7 dhprebn: maxdiff ${c.maxdiff} > 1e-8`);
});

Deno.test("07.7 batchNormBackward at n = 13 from a random upstream gradient: n/(n-1) for the Bessel-corrected variance", () => {
  for (const seed of [21, 22]) {
    const c = smallCase(seed);
    randomUpstream(c.f.hpreact, seed + 1);
    const dhprebn = batchNormBackward(c.f.hpreact.grad!, c.p.bngain, c.f.bnvar_inv, c.f.bnraw);
    assertGrad("07.7", "hprebn (n 13, hidden 7)", dhprebn, c.f.hprebn);
  }
});
