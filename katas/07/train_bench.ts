/**
 * Kata 07 benchmark: your manual backward against the reference's and against
 * katagrad's autograd, on the same training step of exercise 4's network
 * (12,297 parameters, batch 32), and 100 steps of your `train`. Run
 * `deno bench katas/07`.
 *
 * @module
 */

import { Generator, index, noGrad, randint } from "../../mod.ts";
import { exercise4Params, lectureSplit } from "./_checks.ts";
import * as learner from "./train.ts";
import * as reference from "../../solutions/07/train.ts";
import * as learnerNet from "./chunks.ts";
import * as referenceNet from "../../solutions/07/chunks.ts";

const { Xtr, Ytr } = await lectureSplit();
const ix = randint(0, Xtr.shape[0], [32], { generator: new Generator(1) });
const Xb = index(Xtr, ix), Yb = index(Ytr, ix);

type Kata = typeof reference | typeof learner;
/** The kata's own `initParams`, so that an unfinished 07.1 fails only its own benches. */
const initOf = (m: Kata) => m === reference ? referenceNet.initParams : learnerNet.initParams;

/** Forward and manual backward of one step, as `train` runs them (no graph). */
function manualStep(m: Kata) {
  return (b: Deno.BenchContext) => {
    const { p } = exercise4Params(initOf(m));
    b.start();
    noGrad(() => {
      for (let i = 0; i < 100; i++) m.manualGrads(p, m.forwardStep(p, Xb, Yb), Xb, Yb);
    });
    b.end();
  };
}

Deno.bench({
  name: "reference: 100 × forward + manual backward",
  group: "kata 07 one training step (forward + backward)",
  baseline: true,
  fn: manualStep(reference),
});

Deno.bench({
  name: "yours: 100 × forward + manual backward",
  group: "kata 07 one training step (forward + backward)",
  fn: manualStep(learner),
});

Deno.bench({
  name: "autograd: 100 × forward + loss.backward()",
  group: "kata 07 one training step (forward + backward)",
  fn: (b) => {
    const { p } = exercise4Params(referenceNet.initParams);
    b.start();
    for (let i = 0; i < 100; i++) {
      for (const q of referenceNet.parameters(p)) q.grad = null;
      reference.forwardStep(p, Xb, Yb).loss.backward();
    }
    b.end();
  },
});

/** Times 100 steps of `train` (minibatch, forward, manual backward, update). */
function trainSteps(m: Kata) {
  return (b: Deno.BenchContext) => {
    const { p, g } = exercise4Params(initOf(m));
    b.start();
    m.train(p, Xtr, Ytr, g, { steps: 100 });
    b.end();
  };
}

Deno.bench({
  name: "reference: 100 training steps",
  group: "kata 07 training steps",
  baseline: true,
  fn: trainSteps(reference),
});

Deno.bench({
  name: "yours: 100 training steps",
  group: "kata 07 training steps",
  fn: trainSteps(learner),
});
