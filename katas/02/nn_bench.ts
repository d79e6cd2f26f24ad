/**
 * Kata 02 benchmark: your MLP against the reference on one forward and backward
 * pass over the 100 two-moons points. Run `deno bench katas/02`.
 *
 * @module
 */

import { makeMoons, seededUniform, Value } from "../../mod.ts";
import * as learner from "./nn.ts";
import * as reference from "../../solutions/02/nn.ts";

const { X } = makeMoons(100, { noise: 0.1, seed: 1 });

/** Times zeroGrad + forward over all points + backward of an MLP(2, [16, 16, 1]). */
function forwardBackward(MLP: typeof reference.MLP | typeof learner.MLP) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const model = new MLP(2, [16, 16, 1], { nonlin: "relu", rng: seededUniform(1) });
    b.start();
    model.zeroGrad();
    let total = new Value(0);
    for (const x of X) total = total.add(model.forward(x)[0]);
    total.backward();
    b.end();
  };
}

Deno.bench({
  name: "reference: MLP(2, [16, 16, 1]) forward + backward, 100 points",
  group: "kata 02 forward + backward",
  baseline: true,
  fn: forwardBackward(reference.MLP),
});

Deno.bench({
  name: "yours: MLP(2, [16, 16, 1]) forward + backward, 100 points",
  group: "kata 02 forward + backward",
  fn: forwardBackward(learner.MLP),
});
