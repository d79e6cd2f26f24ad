/**
 * Kata 10, steps 10.5–10.6: gpt.py's GPTLanguageModel and generate. Run
 * `deno test katas/10`.
 *
 * @module
 */

import { deepEqual, equal, notDeepEqual, ok } from "node:assert/strict";
import { KataAssertionError } from "../_lib/assert.ts";
import { cat, F, Generator, multinomial, nn, noGrad, optim, type Tensor } from "../../mod.ts";
import { assertCausal } from "../../core/testing/gpt_checks.ts";
import {
  assertMatches,
  asTensor,
  GPT_PY,
  ids,
  shapeOf,
  SMALL,
  TINY,
  toTensor,
  TRAIN,
} from "./_checks.ts";
import { refLogits } from "./_checks.ts";
import { Block } from "./block.ts";
import { GPTLanguageModel } from "./model.ts";
import { sampleBatch } from "./train.ts";

Deno.test("10.5 GPTLanguageModel: the lecture's parameter counts, 0.209729 M and gpt.py's 10.788929 M", () => {
  const small = new GPTLanguageModel(SMALL, { generator: new Generator(1337) });
  equal(small.numParameters(), 209_729, "the small config (gpt-dev's last cell) has 0.209729 M");
  const big = new GPTLanguageModel(GPT_PY, { generator: new Generator(1337) });
  equal(big.numParameters(), 10_788_929, "gpt.py's config has 10.788929 M");
});

Deno.test("10.5 GPTLanguageModel: embeddings, blocks, lnF, lmHead with bias and its own weight", () => {
  const m = new GPTLanguageModel(TINY, { generator: new Generator(1) });
  equal(shapeOf(m.tokenEmbeddingTable.weight), "(65, 12)", "Embedding(vocabSize, nEmbd)");
  equal(shapeOf(m.positionEmbeddingTable.weight), "(8, 12)", "Embedding(blockSize, nEmbd)");
  const blocks = [...m.blocks];
  equal(blocks.length, 2, "nLayer blocks in an nn.Sequential");
  ok(blocks.every((b) => b instanceof Block), "each is a Block (10.4)");
  ok(m.lnF instanceof nn.LayerNorm, "lnF is the final nn.LayerNorm(nEmbd)");
  equal(shapeOf(m.lmHead.weight), "(65, 12)", "lmHead = Linear(nEmbd, vocabSize)");
  ok(m.lmHead.bias !== null, "lmHead has a bias (gpt.py's nn.Linear default)");
  ok(m.lmHead.weight !== m.tokenEmbeddingTable.weight, "not tied to the token embedding");
});

/**
 * After `torch.manual_seed(1337); model = GPTLanguageModel()` in gpt.py at the small config
 * (PyTorch 1.13): the first three and the last entry of a few weights
 * (bench/peers/kata10_gpt_torch.py's model).
 */
const TORCH_1337 = {
  "tokenEmbeddingTable.weight": [-0.00774798, 0.00267214, -0.01283395, 0.03515312],
  "positionEmbeddingTable.weight": [0.00490989, 0.03264103, -0.00428462, -0.01323566],
  "blocks.0.sa.heads.0.key.weight": [0.01805026, -0.01033454, -0.02279187, -0.00108169],
  "blocks.3.ffwd.net.2.weight": [-0.01640345, 0.00093316, 0.00123734, 0.03529943],
  "lmHead.weight": [0.02925565, 0.01252665, -0.01268212, -0.00208376],
};

Deno.test("10.5 from Generator(1337) your weights are gpt.py's after torch.manual_seed(1337)", () => {
  const m = new GPTLanguageModel(SMALL, { generator: new Generator(1337) });
  const params = new Map(m.namedParameters());
  for (const [name, want] of Object.entries(TORCH_1337)) {
    const p = params.get(name);
    if (p === undefined) {
      throw new KataAssertionError(
        `no parameter named ${name}: use gpt.py's names (${Object.keys(TORCH_1337).join(", ")})`,
      );
    }
    const d = p.dataSync();
    const got = [d[0], d[1], d[2], d[d.length - 1]];
    if (got.some((v, i) => Math.abs(v - want[i]) > 1e-8)) {
      throw new KataAssertionError(
        `${name} starts ${got.map((v) => v.toFixed(8)).join(", ")}; gpt.py's is ` +
          `${want.join(", ")}. The draws happen in gpt.py's order: each module's default init as ` +
          `it is built (token table, position table, then each block: its heads' key, query, ` +
          `value, proj, ffwd's two Linears; then lmHead), then this.apply(...) redraws every ` +
          `Linear and Embedding weight from N(0, 0.02) in the same order`,
      );
    }
  }
});

Deno.test("10.5 gpt.py's init: Linear and Embedding weights N(0, 0.02), biases 0", () => {
  const m = new GPTLanguageModel(SMALL, { generator: new Generator(3) });
  for (const [name, p] of m.namedParameters()) {
    const d = Array.from(p.dataSync() as ArrayLike<number>);
    const isLn = name.includes("ln");
    if (name.endsWith(".bias")) {
      ok(d.every((v) => v === 0), `${name} starts at 0`);
    } else if (isLn) {
      ok(d.every((v) => v === 1), `${name} (a LayerNorm gain) starts at 1`);
    } else if (d.length >= 1000) {
      const std = Math.sqrt(d.reduce((a, v) => a + v * v, 0) / d.length);
      if (Math.abs(std - 0.02) > 0.002) {
        throw new KataAssertionError(
          `${name} has std ${std.toFixed(4)}, expected 0.02: after building the modules, ` +
            `re-initialise every Linear and Embedding as gpt.py's _init_weights (this.apply)`,
        );
      }
    }
  }
});

Deno.test("10.5 forward: the logits of the whole model, and the loss", () => {
  const m = new GPTLanguageModel(TINY, { generator: new Generator(4) });
  noGrad(() => { // biases and LayerNorms away from their init, so each of them counts
    for (const [, p] of m.namedParameters()) {
      p.add_(toTensor({
        data: new Float64Array(p.size).map((_, i) => Math.sin(i * 7.3) * 0.3),
        shape: [...p.shape],
      }));
    }
  });
  const idx = [[3, 9, 3, 0, 64, 12], [9, 9, 9, 9, 9, 9], [1, 2, 3, 4, 5, 6]];
  const targets = ids([[9, 3, 0, 64, 12, 1], [9, 9, 9, 9, 9, 9], [2, 3, 4, 5, 6, 7]]);
  const { logits, loss } = m.forward(ids(idx), targets);
  equal(shapeOf(asTensor("logits", logits)), "(3, 6, 65)", "logits are (B, T, vocabSize)");
  assertMatches(
    "logits = lmHead(lnF(blocks(tok_emb + pos_emb)))",
    logits,
    refLogits(m, idx),
    1e-4,
  );
  const ce = F.crossEntropy(logits.view(18, 65), targets.view(18)).itemSync();
  const got = asTensor("loss", loss).itemSync();
  ok(Math.abs(got - ce) < 1e-5, `the loss is the cross-entropy of the logits: ${got} vs ${ce}`);
  equal(m.forward(ids(idx)).loss, null, "no targets, no loss");
});

Deno.test("10.5 the loss at init is −ln(1/65) = 4.17: the model starts out guessing uniformly", () => {
  const m = new GPTLanguageModel(SMALL, { generator: new Generator(1337) });
  const { x, y } = sampleBatch(TRAIN, new Generator(1337), { batchSize: 16, blockSize: 32 });
  const loss = asTensor("loss", m.forward(x, y).loss).itemSync();
  if (Math.abs(loss - Math.log(65)) > 0.05) {
    throw new KataAssertionError(
      `the loss at init is ${loss.toFixed(4)}, expected within 0.05 of −ln(1/65) = 4.1744: with ` +
        `gpt.py's init (weights N(0, 0.02), biases 0) the logits start near 0`,
    );
  }
});

Deno.test("10.5 causality of the whole model: a future token never changes an earlier logit", () => {
  const m = new GPTLanguageModel(TINY, { generator: new Generator(5) });
  assertCausal((idx) => m.forward(idx).logits, 65, 8, new Generator(6));
});

Deno.test("10.5 one batch overfits: 150 AdamW steps take its loss from 4.17 to near zero", () => {
  const config = { ...TINY, nEmbd: 32, nHead: 4 };
  const m = new GPTLanguageModel(config, { generator: new Generator(7) });
  const { x, y } = sampleBatch(TRAIN, new Generator(8), { batchSize: 4, blockSize: 8 });
  const opt = new optim.AdamW(m.parameters(), { lr: 1e-2 });
  let loss = 0;
  for (let i = 0; i < 150; i++) {
    const l = m.forward(x, y).loss!;
    opt.zeroGrad();
    l.backward();
    opt.step();
    loss = l.itemSync();
  }
  if (!(loss < 0.1)) {
    throw new KataAssertionError(
      `after 150 steps on one batch of 4×8 the loss is ${loss.toFixed(3)}, expected below 0.1: ` +
        `does every parameter get a gradient (registerModule for every layer)?`,
    );
  }
});

/** gpt.py's generate written out here: crop to the last blockSize, softmax of the last step. */
function expectedGenerate(m: GPTLanguageModel, start: Tensor, n: number, seed: number): Tensor {
  const g = new Generator(seed);
  let idx = start;
  noGrad(() => {
    for (let i = 0; i < n; i++) {
      const T = idx.shape[1], bs = m.config.blockSize;
      const logits = m.forward(idx.slice(1, Math.max(0, T - bs))).logits.slice(1, -1).squeeze(1);
      idx = cat([idx, multinomial(F.softmax(logits, -1), 1, { generator: g })], 1);
    }
  });
  return idx;
}

Deno.test("10.6 generate: 20 tokens after 2, the context cropped to the last blockSize 8", () => {
  const m = new GPTLanguageModel(TINY, { generator: new Generator(9) });
  const start = ids([[1, 2], [3, 4]]);
  let out: Tensor;
  try {
    out = asTensor("generate", m.generate(start, 20, new Generator(10)));
  } catch (e) {
    throw new KataAssertionError(
      `generate(idx, 20) threw ${String(e).split("\n")[0]}\n  past blockSize 8 tokens there is ` +
        `no position embedding: feed the model idx[:, -blockSize:] only`,
    );
  }
  equal(shapeOf(out), "(2, 22)", "(B, T + maxNewTokens)");
  deepEqual(out.toArraySync(), expectedGenerate(m, start, 20, 10).toArraySync());
});

Deno.test("10.6 generate is reproducible: the same seed draws the same text, another seed other text", () => {
  const m = new GPTLanguageModel(TINY, { generator: new Generator(11) });
  const start = ids([[0]]);
  const a = m.generate(start, 30, new Generator(12)).toArraySync();
  deepEqual(m.generate(start, 30, new Generator(12)).toArraySync(), a, "same seed, same tokens");
  notDeepEqual(m.generate(start, 30, new Generator(13)).toArraySync(), a, "another seed");
});
