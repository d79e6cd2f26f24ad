/**
 * Kata 04 benchmark: your bigram model against the reference on names.txt —
 * counting (bigrams, counts, normalising, NLL) and one full-batch step of the
 * neural bigram. Run `deno bench katas/04`.
 *
 * @module
 */

import { Generator, randn } from "../../mod.ts";
import { loadWords } from "./_names.ts";
import * as learner from "./counts.ts";
import * as learnerNet from "./neural.ts";
import * as reference from "../../solutions/04/counts.ts";
import * as referenceNet from "../../solutions/04/neural.ts";

const words = await loadWords();
const { stoi } = reference.buildVocab(words);
const { xs, ys } = reference.bigrams(words, stoi);

/** Times vocabulary → bigrams → counts → P → NLL over the 228,146 bigrams. */
function counting(impl: typeof reference | typeof learner) {
  return () => {
    const v = impl.buildVocab(words);
    const b = impl.bigrams(words, v.stoi);
    impl.nll(impl.countModel(impl.countMatrix(b.xs, b.ys)), b.xs, b.ys);
  };
}

/** Times one full-batch gradient-descent step of the neural bigram. */
function neuralStep(impl: typeof referenceNet | typeof learnerNet) {
  return (b: Deno.BenchContext) => {
    const W = randn([27, 27], { generator: new Generator(2147483647), requiresGrad: true });
    b.start();
    impl.trainBigramNet(W, xs, ys, { steps: 1 });
    b.end();
  };
}

Deno.bench({
  name: "reference: count model of names.txt (vocab, bigrams, counts, P, NLL)",
  group: "kata 04 counting",
  baseline: true,
  fn: counting(reference),
});

Deno.bench({
  name: "yours: count model of names.txt (vocab, bigrams, counts, P, NLL)",
  group: "kata 04 counting",
  fn: counting(learner),
});

Deno.bench({
  name: "reference: one full-batch neural bigram step (228,146 × 27 @ 27 × 27)",
  group: "kata 04 neural step",
  baseline: true,
  n: 10,
  fn: neuralStep(referenceNet),
});

Deno.bench({
  name: "yours: one full-batch neural bigram step (228,146 × 27 @ 27 × 27)",
  group: "kata 04 neural step",
  n: 10,
  fn: neuralStep(learnerNet),
});
