/**
 * Kata 09, steps 09.3–09.5: the bigram baseline — forward and loss, generate,
 * training with AdamW, estimate_loss. Run `deno test katas/09`.
 *
 * The lecture's numbers (loss at init, samples, loss after 100 steps) are
 * reproduced exactly: the library's Generator is PyTorch's.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import {
  F,
  Generator,
  getBatch as libraryBatch,
  isGradEnabled,
  nn,
  noGrad,
  optim,
  randint,
  type Tensor,
  tensor,
  zeros,
} from "../../mod.ts";
import { asTensor, LECTURE, plain, shapeOf, TRAIN, VAL, VOCAB } from "./_checks.ts";
import {
  BigramLanguageModel,
  estimateLoss,
  type LanguageModel,
  lmLoss,
  train,
  trainStep,
} from "./bigram.ts";

const int = (rows: number[][]) => tensor(rows, { dtype: "int32" });

/** The lecture's batch drawn by the library with a generator (as the tests' reference). */
function batchOf(data: Int32Array, B: number, T: number, g: Generator) {
  const { x, y } = libraryBatch(data, B, T, (lo, hi, n) => [
    ...randint(lo, hi, [n], { generator: g }).dataSync(),
  ]);
  return { x: tensor(x).reshape(B, T), y: tensor(y).reshape(B, T) };
}

function assertText(name: string, got: string, want: string): void {
  if (got === want) return;
  let i = 0;
  while (i < want.length && got[i] === want[i]) i++;
  throw new KataAssertionError(
    `${name}: the texts differ from character ${i}\n  expected ${
      JSON.stringify(want.slice(i, i + 30))
    }\n  got      ${JSON.stringify(got.slice(i, i + 30))}`,
  );
}

Deno.test("09.3 BigramLanguageModel: an Embedding(65, 65) drawn from the generator", () => {
  const model = new BigramLanguageModel(65, { generator: new Generator(1337) });
  const W = model.tokenEmbeddingTable.weight;
  equal(shapeOf(W), "(65, 65)", "tokenEmbeddingTable.weight is (vocabSize, vocabSize)");
  const want = new nn.Embedding(65, 65, { generator: new Generator(1337) }).weight.dataSync();
  deepEqual(W.dataSync().slice(0, 5), want.slice(0, 5), "N(0, 1) drawn from opts.generator");
  equal(model.numParameters(), 65 * 65, "the table is the model's only parameter");
});

Deno.test("09.3 forward: logits (B, T, 65) read off the table; the lecture's loss 4.8786 at init", () => {
  const model = new BigramLanguageModel(65, { generator: new Generator(1337) });
  const { logits, loss } = model.forward(int(LECTURE.xb), int(LECTURE.yb));
  const l = asTensor("logits", logits);
  equal(shapeOf(l), "(4, 8, 65)", "logits are (B, T, vocabSize)");
  const W = model.tokenEmbeddingTable.weight.toArraySync() as number[][];
  deepEqual((l.toArraySync() as number[][][])[2][5], W[39], "logits[2, 5] is row xb[2, 5] = 39");
  ok(loss !== null, "with targets, forward returns the loss");
  assertClose("loss at init (lecture cell 14)", asTensor("loss", loss).itemSync(), 4.8786, 2e-5);
  equal(model.forward(int([[1, 2]])).loss, null, "without targets the loss is null");
});

Deno.test("09.3 the loss: cross-entropy over all B·T positions; a uniform model's is −ln(1/65) = 4.1744", () => {
  const model = new BigramLanguageModel(65, { generator: new Generator(1) });
  noGrad(() => model.tokenEmbeddingTable.weight.zero_());
  const idx = randint(0, 65, [3, 5], { generator: new Generator(2) });
  const { loss } = model.forward(idx, randint(0, 65, [3, 5], { generator: new Generator(3) }));
  assertClose("loss of an all-zero table", asTensor("loss", loss).itemSync(), Math.log(65), 1e-5);
  // lmLoss on (B, T, C) logits with B ≠ T: every position counts once, targets in place.
  const logits = tensor([...Array(2 * 3 * 4)].map((_, i) => Math.sin(i))).reshape(2, 3, 4);
  const targets = int([[0, 3, 1], [2, 2, 0]]);
  const want = F.crossEntropy(logits.view(6, 4), targets.view(6)).itemSync();
  assertClose("lmLoss on (2, 3, 4) logits", lmLoss(logits, targets).itemSync(), want, 1e-6);
});

Deno.test("09.4 generate from a newline at init: the lecture's 100 characters", () => {
  const g = new Generator(1337);
  const model = new BigramLanguageModel(65, { generator: g });
  const out = asTensor("generate", model.generate(zeros([1, 1], { dtype: "int32" }), 100, g));
  equal(shapeOf(out), "(1, 101)", "generate returns the context plus maxNewTokens tokens");
  assertText("decode(generate(...)[0]) (cell 14)", VOCAB.decode(out.dataSync()), LECTURE.sample100);
});

Deno.test("09.4 generate extends every row of a batch, keeping the context", () => {
  const g = new Generator(5);
  const model = new BigramLanguageModel(65, { generator: g });
  const out = model.generate(int([[10, 11, 12], [20, 21, 22]]), 4, g);
  equal(shapeOf(out), "(2, 7)", "(B, T) -> (B, T + maxNewTokens)");
  equal(out.dtype, "int32");
  const rows = out.toArraySync() as number[][];
  deepEqual(rows.map((r) => r.slice(0, 3)), [[10, 11, 12], [20, 21, 22]], "the context stays");
  ok(rows.flat().every((v) => v >= 0 && v < 65), "every token is an id in [0, 65)");
});

Deno.test("09.5 trainStep: a batch, zeroGrad, backward, step — two steps as the lecture takes them", () => {
  const mine = new BigramLanguageModel(65, { generator: new Generator(7) });
  const ref = new nn.Embedding(65, 65, { generator: new Generator(7) });
  const opt = new optim.AdamW(mine.parameters(), { lr: 0.1 });
  const refOpt = new optim.AdamW(ref.parameters(), { lr: 0.1 });
  const g = new Generator(11), gRef = new Generator(11);
  for (let step = 0; step < 2; step++) {
    const got = trainStep(mine, opt, TRAIN, g, { batchSize: 6, blockSize: 5 });
    const { x, y } = batchOf(TRAIN, 6, 5, gRef);
    const loss = F.crossEntropy(ref.forward(x).view(30, 65), y.view(30));
    refOpt.zeroGrad();
    loss.backward();
    refOpt.step();
    assertClose(`trainStep's loss at step ${step}`, got, loss.itemSync(), 1e-5);
  }
  const w = plain(mine.tokenEmbeddingTable.weight).data, r = plain(ref.weight).data;
  const diff = w.reduce((m, v, i) => Math.max(m, Math.abs(v - r[i])), 0);
  ok(diff < 1e-5, `weights after two steps differ by ${diff}: reset the gradients every step`);
});

Deno.test("09.5 train: 100 AdamW steps, lr 1e-3, batch 32 — the lecture's 4.6563, then its sample", () => {
  const g = new Generator(1337);
  const model = new BigramLanguageModel(65, { generator: g });
  model.generate(zeros([1, 1], { dtype: "int32" }), 100, g); // cell 14 draws these first
  const seen: number[] = [];
  const losses = train(model, TRAIN, g, {
    steps: 100,
    batchSize: 32,
    blockSize: 8,
    lr: 1e-3,
    onStep: (i) => seen.push(i),
  });
  equal(losses.length, 100, "train returns one loss per step");
  deepEqual(seen.slice(0, 3), [0, 1, 2], "onStep is called after every step with its index");
  assertClose("the loss of step 100 (cell 16)", losses[99], LECTURE.loss100, 1e-5);
  ok(losses[0] > losses[99], "the loss falls");
  const out = model.generate(zeros([1, 1], { dtype: "int32" }), 60, g);
  assertText(
    "the first 60 characters sampled after training (cell 17)",
    VOCAB.decode(out.dataSync()),
    LECTURE.sample500.slice(0, 61),
  );
});

Deno.test("09.5 estimateLoss: the mean over evalIters batches, in eval mode, without a graph", () => {
  // A stand-in model whose "loss" is the mean token id of the batch.
  const calls: { grad: boolean; training: boolean }[] = [];
  const fake = {
    training: true,
    forward(idx: Tensor, targets?: Tensor) {
      calls.push({ grad: isGradEnabled(), training: this.training });
      return { logits: idx, loss: targets!.sum().div(targets!.size) };
    },
    parameters: () => [],
    eval() {
      this.training = false;
    },
    train() {
      this.training = true;
    },
  } satisfies LanguageModel & { training: boolean };
  const got = estimateLoss(fake, VAL, new Generator(4), {
    evalIters: 5,
    batchSize: 3,
    blockSize: 6,
  });
  const gRef = new Generator(4);
  let want = 0;
  for (let k = 0; k < 5; k++) want += batchOf(VAL, 3, 6, gRef).y.sum().itemSync() / 18 / 5;
  equal(calls.length, 5, "one forward per eval iteration");
  assertClose("estimateLoss (mean of 5 batches of 3×6)", got, want, 1e-6);
  ok(
    calls.every((c) => !c.grad),
    "evaluate inside noGrad: no graph for a backward that never comes",
  );
  ok(calls.every((c) => !c.training), "evaluate in eval mode (model.eval())");
  ok(fake.training, "and switch back to training mode afterwards (model.train())");
});
