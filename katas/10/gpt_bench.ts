/**
 * Kata 10 benchmark: your GPT against the reference — one training step
 * (forward, backward, AdamW) of the lecture's small config (batch 16, block
 * 32, 4 layers, 4 heads, n_embd 64), and the same step of the library's
 * `nn.GPT` (nanoGPT's fused attention, GELU, tied head) at the same size for
 * scale. Run `deno bench katas/10`.
 *
 * @module
 */

import { Generator, nn, optim } from "../../mod.ts";
import { SMALL, TRAIN } from "./_checks.ts";
import * as learnerModel from "./model.ts";
import * as learnerTrain from "./train.ts";
import * as referenceModel from "../../solutions/10/model.ts";
import * as referenceTrain from "../../solutions/10/train.ts";

const BATCH = { batchSize: 16, blockSize: 32 };

/** Times one AdamW step of the kata's model on a Tiny Shakespeare batch (after 2 warm-up steps). */
function step(model: typeof referenceModel, train: typeof referenceTrain) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const g = new Generator(1337);
    const m = new model.GPTLanguageModel(SMALL, { generator: g });
    const opt = new optim.AdamW(m.parameters(), { lr: 1e-3 });
    const once = () => {
      const { x, y } = train.sampleBatch(TRAIN, g, BATCH);
      const { loss } = m.forward(x, y);
      opt.zeroGrad();
      loss!.backward();
      opt.step();
      loss!.itemSync();
    };
    once();
    once();
    b.start();
    once();
    b.end();
  };
}

Deno.bench({
  name: "reference: one training step of gpt.py's model, small config (16×32, 4×4×64)",
  group: "kata 10 GPT step",
  baseline: true,
  fn: step(referenceModel, referenceTrain),
});

Deno.bench({
  name: "yours: one training step of gpt.py's model, small config (16×32, 4×4×64)",
  group: "kata 10 GPT step",
  fn: step(learnerModel as typeof referenceModel, learnerTrain as typeof referenceTrain),
});

Deno.bench({
  name: "library nn.GPT (fused attention) at the same size, for scale",
  group: "kata 10 GPT step",
  fn: (b) => {
    const g = new Generator(1337);
    const m = new nn.GPT({ ...SMALL, bias: true }, { generator: g });
    const opt = new optim.AdamW(m.parameters(), { lr: 1e-3 });
    const once = () => {
      const { x, y } = referenceTrain.sampleBatch(TRAIN, g, BATCH);
      const { loss } = m.forward(x, y);
      opt.zeroGrad();
      loss!.backward();
      opt.step();
      loss!.itemSync();
    };
    once();
    once();
    b.start();
    once();
    b.end();
  },
});
