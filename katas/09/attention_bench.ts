/**
 * Kata 09 benchmark: your attention against the reference — multi-head
 * self-attention forward and backward at the lecture's small GPT size
 * (batch 16, block 32, n_embd 64, 4 heads of 16), and 20 training steps of the
 * first attention language model (4 heads of 8, block 8, batch 32). Run
 * `deno bench katas/09`.
 *
 * @module
 */

import { Generator, randn } from "../../mod.ts";
import { TRAIN } from "./_checks.ts";
import * as learnerBigram from "./bigram.ts";
import * as learnerHeads from "./multi_head.ts";
import * as learnerModel from "./positions.ts";
import * as referenceBigram from "../../solutions/09/bigram.ts";
import * as referenceHeads from "../../solutions/09/multi_head.ts";
import * as referenceModel from "../../solutions/09/positions.ts";

type Heads = typeof referenceHeads | typeof learnerHeads;

/** Times one forward and backward pass of MultiHeadAttention(64, 4, 16) on (16, 32, 64). */
function multiHead(m: Heads) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const g = new Generator(1337);
    const mha = new m.MultiHeadAttention(64, 4, 16, { generator: g });
    const x = randn([16, 32, 64], { generator: g, requiresGrad: true });
    b.start();
    mha.forward(x).sum().backward();
    b.end();
  };
}

/** Times 20 AdamW steps of AttentionLanguageModel({ 65, 8, 32, 4 }), batch 32. */
function trainSteps(model: typeof referenceModel, bigram: typeof referenceBigram) {
  return (b: Deno.BenchContext) => {
    const g = new Generator(1337);
    const config = { vocabSize: 65, blockSize: 8, nEmbd: 32, numHeads: 4 };
    const lm = new model.AttentionLanguageModel(config, { generator: g });
    b.start();
    bigram.train(lm, TRAIN, g, { steps: 20, lr: 1e-3 });
    b.end();
  };
}

Deno.bench({
  name: "reference: multi-head attention forward + backward, (16, 32, 64), 4 heads",
  group: "kata 09 multi-head attention",
  baseline: true,
  fn: multiHead(referenceHeads),
});

Deno.bench({
  name: "yours: multi-head attention forward + backward, (16, 32, 64), 4 heads",
  group: "kata 09 multi-head attention",
  fn: multiHead(learnerHeads),
});

Deno.bench({
  name: "reference: 20 training steps of the attention LM (4 heads of 8), batch 32",
  group: "kata 09 training steps",
  baseline: true,
  fn: trainSteps(referenceModel, referenceBigram),
});

Deno.bench({
  name: "yours: 20 training steps of the attention LM (4 heads of 8), batch 32",
  group: "kata 09 training steps",
  fn: trainSteps(learnerModel as typeof referenceModel, learnerBigram as typeof referenceBigram),
});
