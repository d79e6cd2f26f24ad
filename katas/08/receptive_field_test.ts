/**
 * Kata 08, step 08.6: what the models see. The flat model and the
 * hierarchical one read the same 8 characters: changing a character before
 * them changes nothing, and each of the 8 can change the output.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertAllClose, KataAssertionError } from "../_lib/assert.ts";
import { Generator, noGrad, tensor } from "../../mod.ts";
import { assertShape, plain } from "./_checks.ts";
import type { Linear, Sequential } from "./layers.ts";
import { flatModel, hierarchicalModel, setTraining } from "./model.ts";
import { contextOf, nextLogits, sensitivity } from "./receptive_field.ts";

/** "isabella" followed by "mia" (11 characters), as indices. */
const PREFIX = [9, 19, 1, 2, 5, 12, 12, 1, 13, 9, 1];

Deno.test("08.6 contextOf keeps the last blockSize characters, '.'-padded on the left", () => {
  deepEqual(contextOf([], 8), [0, 0, 0, 0, 0, 0, 0, 0], "nothing seen yet: eight '.'");
  deepEqual(contextOf([5, 13, 13, 1], 8), [0, 0, 0, 0, 5, 13, 13, 1], "'emma': padded on the LEFT");
  deepEqual(
    contextOf(PREFIX, 8),
    PREFIX.slice(-8),
    "11 characters: the LAST 8 (the first 3 are out of reach)",
  );
  deepEqual(contextOf([1, 2, 3], 2), [2, 3], "block size 2");
});

Deno.test("08.6 nextLogits runs the model in evaluation mode on one context: (1, 27), no NaN", () => {
  const model = hierarchicalModel(new Generator(42));
  const logits = nextLogits(model, PREFIX, 8);
  assertShape("nextLogits(model, prefix, 8)", logits, [1, 27]);
  const d = logits.dataSync();
  if (d.some(Number.isNaN)) {
    throw new KataAssertionError(
      "nextLogits gave NaN: a batch of one in training mode has no variance (the unbiased one " +
        "divides by n − 1 = 0); put every layer in evaluation mode first (setTraining)",
    );
  }
  ok(model.layers.every((l) => l.training === false), "the model is left in evaluation mode");
  setTraining(model, false);
  const want = noGrad(() => model.forward(tensor([PREFIX.slice(-8)], { dtype: "int32" })));
  assertAllClose(
    "nextLogits = model.forward([last 8 characters])",
    plain(logits),
    plain(want),
    1e-6,
  );
});

for (const [name, make] of [["hierarchical", hierarchicalModel], ["flat", flatModel]] as const) {
  Deno.test(`08.6 the ${name} model: a character before the last 8 changes nothing, each of the 8 does`, () => {
    const model = make(new Generator(42));
    const base = nextLogits(model, PREFIX, 8).dataSync();
    PREFIX.forEach((_, i) => {
      const changed = nextLogits(model, PREFIX.with(i, PREFIX[i] === 26 ? 25 : 26), 8).dataSync();
      const moved = Math.max(...base.map((b, k) => Math.abs(changed[k] - b)));
      if (i < PREFIX.length - 8 && moved !== 0) {
        throw new KataAssertionError(
          `changing character ${i} of 11, which is 9 or more back, moved the logits by ${moved}: ` +
            `the context is the LAST 8 characters`,
        );
      }
      if (i >= PREFIX.length - 8 && !(moved > 1e-4)) {
        throw new KataAssertionError(
          `changing character ${i} of 11 (inside the last 8) did not move the ${name} model's ` +
            `logits (by ${moved}): every position of the context should reach the output`,
        );
      }
    });
  });
}

Deno.test("08.6 sensitivity: the largest logit change at each position, 0 where the model does not look", () => {
  const model = flatModel(new Generator(1));
  const context = [0, 0, 5, 13, 13, 1, 2, 3];
  const s = sensitivity(model, context);
  equal(s.length, 8, "one number per position");
  ok(s.every((v) => v > 1e-4), `every position of the flat model matters, got [${s}]`);
  // blind the flat model to position 0: zero the rows of the first Linear that read it
  const lin = model.layers[2] as Linear;
  const nEmbd = lin.weight.shape[0] / 8;
  const mask = tensor(Array.from({ length: lin.weight.shape[0] }, (_, r) => (r < nEmbd ? 0 : 1)));
  noGrad(() => {
    lin.weight = lin.weight.mul(mask.reshape(-1, 1));
  });
  const blind = sensitivity(model as Sequential, context);
  equal(
    blind[0],
    0,
    `position 0 is never read after zeroing its weights: sensitivity 0, got ${blind[0]}`,
  );
  ok(blind.slice(1).every((v) => v > 1e-4), "the other 7 still matter");
  const h = sensitivity(hierarchicalModel(new Generator(2)), context);
  ok(h.every((v) => v > 1e-4), `every position of the hierarchical model matters, got [${h}]`);
});
