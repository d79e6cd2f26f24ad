/**
 * Kata 14 benchmark: your microgpt against the reference — one training step
 * (forward, backward and Adam on one name) and one sampled name. Run
 * `deno bench katas/14`.
 *
 * @module
 */

import { loadDataset, PyRandom } from "../../mod.ts";
import * as learnerData from "./data.ts";
import * as learner from "./training.ts";
import * as referenceData from "../../solutions/14/data.ts";
import * as reference from "../../solutions/14/training.ts";

const text = await loadDataset("names");

/** Times `train` for 3 steps on the first names, on a fresh model. */
function trainSteps(d: typeof referenceData, t: typeof reference) {
  return (b: Deno.BenchContext) => {
    // Built inside the bench so an unfinished stub fails this bench, not the file.
    const rng = new PyRandom(42);
    const docs = d.loadDocs(text, rng);
    const tokenizer = new d.Tokenizer(docs);
    const config = { ...d.MICROGPT, vocabSize: tokenizer.vocabSize };
    const model = { sd: d.initStateDict(rng, config), config, tokenizer };
    b.start();
    t.train(model, docs, { steps: 3 });
    b.end();
  };
}

/** Times sampling 3 names from the untrained model. */
function sample(d: typeof referenceData, t: typeof reference) {
  return (b: Deno.BenchContext) => {
    const rng = new PyRandom(42);
    const docs = d.loadDocs(text, rng);
    const tokenizer = new d.Tokenizer(docs);
    const config = { ...d.MICROGPT, vocabSize: tokenizer.vocabSize };
    const model = { sd: d.initStateDict(rng, config), config, tokenizer };
    b.start();
    for (let i = 0; i < 3; i++) t.sampleName(model, rng, 0.5);
    b.end();
  };
}

Deno.bench({
  name: "reference: 3 training steps",
  group: "kata 14 training",
  baseline: true,
  fn: trainSteps(referenceData, reference),
});

Deno.bench({
  name: "yours: 3 training steps",
  group: "kata 14 training",
  fn: trainSteps(learnerData, learner),
});

Deno.bench({
  name: "reference: 3 names",
  group: "kata 14 sampling",
  baseline: true,
  fn: sample(referenceData, reference),
});

Deno.bench({
  name: "yours: 3 names",
  group: "kata 14 sampling",
  fn: sample(learnerData, learner),
});
