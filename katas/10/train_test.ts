/**
 * Kata 10, step 10.7: gpt.py's estimate_loss and training loop. Run
 * `deno test katas/10`.
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { Generator, noGrad, optim } from "../../mod.ts";
import { TINY, TRAIN, VAL } from "./_checks.ts";
import { GPTLanguageModel } from "./model.ts";
import { estimateLoss, sampleBatch, train } from "./train.ts";

const BATCH = { batchSize: 4, blockSize: 8 };

Deno.test("10.7 estimateLoss: the mean loss of evalIters batches with dropout off, then back to training", () => {
  const m = new GPTLanguageModel({ ...TINY, dropout: 0.5 }, { generator: new Generator(1) });
  const got = estimateLoss(m, VAL, new Generator(2), { ...BATCH, evalIters: 5 });
  equal(m.training, true, "the model is in training mode again afterwards (model.train())");
  // The same 5 batches, in eval mode, written out here.
  const g = new Generator(2);
  m.eval();
  let sum = 0;
  noGrad(() => {
    for (let i = 0; i < 5; i++) {
      const { x, y } = sampleBatch(VAL, g, BATCH);
      sum += m.forward(x, y).loss!.itemSync();
    }
  });
  m.train();
  if (Math.abs(got - sum / 5) > 1e-5) {
    throw new KataAssertionError(
      `estimateLoss gave ${got.toFixed(5)}, the mean of the same 5 batches in eval mode is ` +
        `${(sum / 5).toFixed(5)}: call model.eval() first (dropout off), draw each batch with ` +
        `sampleBatch(data, g, opts), average, and model.train() at the end`,
    );
  }
});

Deno.test("10.7 train: AdamW at lr, one batch per step; 40 steps at lr 1e-2 bring the loss below 3.3", () => {
  const m = new GPTLanguageModel({ ...TINY, nEmbd: 32, nHead: 4 }, {
    generator: new Generator(3),
  });
  const seen: number[] = [];
  const { optimizer, losses } = train(m, TRAIN, new Generator(4), {
    ...BATCH,
    batchSize: 16,
    steps: 40,
    lr: 1e-2,
    onStep: (i, loss) => seen.push(i, loss),
  });
  ok(optimizer instanceof optim.AdamW, "train returns its AdamW");
  equal(optimizer.paramGroups[0].lr, 1e-2, "at the given lr");
  equal(losses.length, 40, "one loss per step");
  equal(seen.length, 80, "onStep(i, loss) after every step");
  // The first loss is the model's loss on the first batch drawn from the generator.
  const first = new GPTLanguageModel({ ...TINY, nEmbd: 32, nHead: 4 }, {
    generator: new Generator(3),
  });
  const { x, y } = sampleBatch(TRAIN, new Generator(4), { ...BATCH, batchSize: 16 });
  const want = first.forward(x, y).loss!.itemSync();
  ok(Math.abs(losses[0] - want) < 1e-5, `step 0's loss ${losses[0]} is the first batch's ${want}`);
  const last = losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
  ok(last < 3.3, `the mean of the last 10 losses is ${last.toFixed(3)}, expected below 3.3`);
});
