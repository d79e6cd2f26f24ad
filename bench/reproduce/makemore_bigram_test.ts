/**
 * makemore part 1 (the bigram language model) with katagrad, written as the
 * lecture writes it with torch (bench/reproduce/makemore_bigram.ts); its
 * numbers are pinned against the lecture and against PyTorch running the same
 * code (testdata/lectures/makemore.json, from testdata/gen_lectures.py).
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { CharVocab, DatasetNotFoundError, Generator, loadDataset, randn } from "../../mod.ts";
import {
  bigrams,
  countMatrix,
  countModel,
  neuralBigramStep,
  nll,
  nllFloat32Loop,
  oneHotInputs,
  sampleNames,
} from "./makemore_bigram.ts";
import { lectureFixture } from "./lecture_fixture.ts";

const fixture = lectureFixture<{
  count: number;
  N_row0: number[];
  nll_unsmoothed_f64: number;
  nll_smoothed_f64: number;
  nll_smoothed_f32_loop: number;
  names: string[];
  neural_losses: number[];
}>("bigram");

let text: string | null = null;
try {
  text = await loadDataset("names", { download: false });
} catch (e) {
  if (!(e instanceof DatasetNotFoundError)) throw e;
}
const skip = text === null ? " (skipped: names.txt not found; set KATAGRAD_DATA)" : "";

const words = text?.split("\n").filter((w) => w.length > 0) ?? [];
const vocab = CharVocab.fromText(words.join(""), { boundary: "." });
const b = bigrams(words, vocab);

Deno.test({
  name: "makemore 1: N[xs, ys] += 1 counts the 228,146 bigrams of names.txt" + skip,
  ignore: text === null,
  fn() {
    equal(words.length, 32_033);
    equal(vocab.size, 27);
    equal(b.xs.size, 228_146);
    equal(b.xs.size, fixture.count);
    const N = countMatrix(b);
    deepEqual(N.shape, [27, 27]);
    equal(N.dtype, "int32");
    equal(N.sum().itemSync(), 228_146);
    const rows = N.toArraySync() as number[][];
    deepEqual(rows[0], fixture.N_row0); // how often each letter starts a name
    equal(rows[vocab.stoi["q"]][vocab.stoi["u"]], 206);
    equal(rows[vocab.stoi["n"]][0], 6_763); // the most common bigram: n.
  },
});

Deno.test({
  name: "makemore 1: NLL of the count model is 2.4540 raw and 2.4546 with +1 smoothing" + skip,
  ignore: text === null,
  fn() {
    const N = countMatrix(b);
    const P0 = countModel(N, 0), P = countModel(N, 1);
    const rowSums = P.sum(1).dataSync();
    ok(rowSums.every((s) => Math.abs(s - 1) < 1e-6), `rows of P sum to 1: ${rowSums}`);

    const nll0 = nll(P0, b), nll1 = nll(P, b);
    ok(Math.abs(nll0 - 2.4540) < 1e-4, `unsmoothed NLL ${nll0}, lecture 2.4540`);
    ok(Math.abs(nll1 - 2.4546) < 1e-4, `smoothed NLL ${nll1}, lecture 2.4546`);
    ok(Math.abs(nll0 - fixture.nll_unsmoothed_f64) < 1e-5, `${nll0} vs torch`);
    ok(Math.abs(nll1 - fixture.nll_smoothed_f64) < 1e-5, `${nll1} vs torch`);

    // The lecture's loop `log_likelihood += torch.log(prob)` sums in float32: 2.4544.
    const loop = nllFloat32Loop(P, b);
    ok(Math.abs(loop - 2.4544) < 1e-4, `float32-accumulated NLL ${loop}, lecture 2.4544`);
    ok(Math.abs(loop - fixture.nll_smoothed_f32_loop) < 2e-5, `${loop} vs torch`);
  },
});

Deno.test({
  name: "makemore 1: Generator(2147483647) samples mor., axx., minaymoryles., ..." + skip,
  ignore: text === null,
  fn() {
    const P = countModel(countMatrix(b), 1);
    const names = sampleNames(P, new Generator(2147483647), 20, vocab);
    deepEqual(names.slice(0, 5), ["mor.", "axx.", "minaymoryles.", "kondlaisah.", "anchshizarie."]);
    deepEqual(names, fixture.names);
  },
});

Deno.test({
  name: "makemore 1: the neural bigram starts at loss 3.7686 and descends as in PyTorch" + skip,
  ignore: text === null,
  fn() {
    const g = new Generator(2147483647);
    const W = randn([27, 27], { generator: g, requiresGrad: true });
    const xenc = oneHotInputs(b.xs);
    // Three of the lecture's 100 steps (each is a (228146 × 27) @ (27 × 27) matmul and its backward).
    const losses = fixture.neural_losses.slice(0, 3).map(() => neuralBigramStep(W, xenc, b.ys, 50));
    ok(Math.abs(losses[0] - 3.7686) < 1e-4, `first loss ${losses[0]}, lecture 3.7686`);
    losses.forEach((l, k) => {
      const want = fixture.neural_losses[k];
      ok(Math.abs(l - want) < 1e-4, `step ${k}: loss ${l}, torch ${want}`);
    });
    ok(losses.every((l, k) => k === 0 || l < losses[k - 1]), `descending: ${losses}`);
  },
});
