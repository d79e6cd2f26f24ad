import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tidy } from "../memory.ts";
import { tensor } from "../ops/creation.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { assertCausal } from "../testing/gpt_checks.ts";
import * as nn from "./mod.ts";

const TINY = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 3, nEmbd: 12 };
const ids = (rows: number[][]) => tensor(rows, { dtype: "int32" });

Deno.test("GPT parameter counts: nanoGPT's baby config, and the lecture's counts from ours", () => {
  const count = (name: nn.GPTPresetName) =>
    new nn.GPT({ ...nn.GPT_PRESETS[name].model, vocabSize: 65 }, {
      generator: new Generator(1),
    });
  // baby: 4 x (12·128² + 2·128 LayerNorm gains) + wte 65·128 + wpe 64·128 + lnF 128 (bias false)
  const baby = count("baby");
  equal(baby.numParameters(), 804_096);
  equal(baby.numParameters({ nonEmbedding: true }), 795_904); // nanoGPT prints "0.80M"
  // The lecture's model (gpt.py) has no bias on q, k, v (3C per layer fewer) and a separate
  // lm_head with a bias (C·V + V more): 0.209729 M and 10.788929 M.
  const lecture = (m: nn.GPT) => {
    const { nLayer, nEmbd: C, vocabSize: V } = m.config;
    return m.numParameters() - nLayer * 3 * C + (C * V + V);
  };
  const small = count("small");
  equal(small.numParameters(), 206_272);
  equal(lecture(small), 209_729);
  const gpt = count("gpt");
  equal(gpt.numParameters(), 10_770_816);
  equal(lecture(gpt), 10_788_929);
});

Deno.test("GPT's state dict: nanoGPT's names in JavaScript casing, the tied weight once", () => {
  const m = new nn.GPT({ ...TINY, nLayer: 1 }, { generator: new Generator(1) });
  deepEqual(Object.keys(m.stateDict()), [
    "wte.weight",
    "wpe.weight",
    "h.0.ln1.weight",
    "h.0.ln1.bias",
    "h.0.attn.cAttn.weight",
    "h.0.attn.cAttn.bias",
    "h.0.attn.cProj.weight",
    "h.0.attn.cProj.bias",
    "h.0.ln2.weight",
    "h.0.ln2.bias",
    "h.0.mlp.cFc.weight",
    "h.0.mlp.cFc.bias",
    "h.0.mlp.cProj.weight",
    "h.0.mlp.cProj.bias",
    "lnF.weight",
    "lnF.bias",
  ]);
  deepEqual(m.namedBuffers().map(([n]) => n), ["pos", "h.0.attn.mask"]); // built, not saved
});

Deno.test("GPT init: N(0, 0.02) weights, zero biases, cProj scaled by 1/√(2·nLayer)", () => {
  const m = new nn.GPT({ vocabSize: 64, blockSize: 64, nLayer: 8, nHead: 4, nEmbd: 64 }, {
    generator: new Generator(7),
  });
  const std = (t: Tensor) => {
    const d = t.dataSync() as Float32Array;
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    return Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length);
  };
  ok(Math.abs(std(m.wte.weight) / 0.02 - 1) < 0.05);
  ok(Math.abs(std(m.h.at(0).attn.cAttn.weight) / 0.02 - 1) < 0.05);
  ok(Math.abs(std(m.h.at(3).mlp.cProj.weight) / (0.02 / 4) - 1) < 0.05);
  ok(Math.abs(std(m.h.at(5).attn.cProj.weight) / (0.02 / 4) - 1) < 0.05);
  ok(m.h.at(2).mlp.cFc.bias!.dataSync().every((v) => v === 0));
});

Deno.test("GPT.forward: (B, T, V) logits and the loss with targets, (B, 1, V) without", () => {
  const m = new nn.GPT(TINY, { generator: new Generator(3) });
  const idx = ids([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
  const { logits, loss } = m.forward(idx, ids([[2, 3, 4, 5, 6], [7, 8, 9, 10, -1]]));
  deepEqual(logits.shape, [2, 5, 11]);
  ok(Math.abs(loss!.itemSync() - Math.log(11)) < 0.05); // small weights: nearly uniform
  const last = m.forward(idx);
  deepEqual(last.logits.shape, [2, 1, 11]);
  equal(last.loss, null);
  const full = logits.dataSync(), tail = last.logits.dataSync();
  for (let b = 0; b < 2; b++) {
    for (let v = 0; v < 11; v++) {
      ok(Math.abs(tail[b * 11 + v] - full[(b * 5 + 4) * 11 + v]) < 1e-6); // other matmul shapes
    }
  }
});

Deno.test("GPT.forward refuses a bad batch with the shapes in the message", () => {
  const m = new nn.GPT(TINY, { generator: new Generator(3) });
  throws(() => m.forward(tensor([[1, 2]])), {
    name: "DTypeError",
    message: "GPT.forward: idx must be int32 token ids, got float32",
  });
  throws(() => m.forward(ids([[1, 2, 3, 4, 5, 6, 7, 8, 9]])), {
    name: "ShapeError",
    message: "GPT.forward: idx must be (B, T) with 1 <= T <= blockSize 8, got (1, 9)",
  });
  throws(() => m.forward(ids([[1, 2]]), ids([[1, 2, 3]])), {
    name: "ShapeError",
    message: "GPT.forward: targets must have idx's shape (1, 2), got (1, 3)",
  });
  throws(() => m.forward(ids([[1, 11]])), { name: "IndexError" });
});

Deno.test("GPT config: nanoGPT's defaults, unknown fields and bad values refused", () => {
  deepEqual(nn.gptConfig({ vocabSize: 65 }), { ...nn.GPT_CONFIG_DEFAULTS, vocabSize: 65 });
  throws(() => new nn.GPT({ vocabSize: 65, nEmbed: 64 } as Partial<nn.GPTConfig>), {
    name: "TypeError",
    message: /GPT: unknown option nEmbed; did you mean nEmbd\?/,
  });
  throws(() => nn.gptConfig({ nLayer: 0 }), {
    name: "RangeError",
    message: "GPT: nLayer must be an integer >= 1, got 0",
  });
  throws(() => nn.gptConfig({ dropout: 1 }), {
    name: "RangeError",
    message: "GPT: dropout must be a number in [0, 1), got 1",
  });
  throws(() => nn.gptConfig({ bias: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: 'GPT: bias must be true or false, got "yes" (a string)',
  });
});

Deno.test("GPT is causal: a later token never changes an earlier position's logits", () => {
  const m = new nn.GPT(TINY, { generator: new Generator(5) });
  const g = new Generator(6);
  const logitsOf = (idx: Tensor) => m.forward(idx, idx).logits;
  assertCausal(logitsOf, TINY.vocabSize, TINY.blockSize, g); // the whole mask
  assertCausal(logitsOf, TINY.vocabSize, 5, g); // a cropped mask
});

Deno.test("GPT overfits one batch: the loss falls from ln(V) to near zero", () => {
  const m = new nn.GPT({ ...TINY, bias: false }, { generator: new Generator(8) });
  const x = ids([[1, 5, 2, 7, 3, 9, 4, 0], [10, 2, 8, 6, 1, 3, 5, 7]]);
  const y = ids([[5, 2, 7, 3, 9, 4, 0, 6], [2, 8, 6, 1, 3, 5, 7, 9]]);
  const opt = m.configureOptimizers({ lr: 1e-2, weightDecay: 0 });
  const losses: number[] = [];
  for (let i = 0; i < 150; i++) {
    const loss = tidy(() => {
      const { loss } = m.forward(x, y);
      opt.zeroGrad();
      loss!.backward();
      opt.step();
      return loss!;
    });
    losses.push(loss.itemSync());
  }
  ok(losses[0] > 2.2, `first loss ${losses[0]}`);
  ok(losses[149] < 0.02, `last loss ${losses[149]}`);
});

Deno.test("GPT.configureOptimizers: weight decay on ≥ 2-d parameters only, as nanoGPT", () => {
  const m = new nn.GPT(TINY, { generator: new Generator(1) });
  const opt = m.configureOptimizers({ weightDecay: 0.1, lr: 1e-3, betas: [0.9, 0.99] });
  const [decay, noDecay] = opt.paramGroups;
  equal(decay.weightDecay, 0.1);
  equal(noDecay.weightDecay, 0);
  ok(decay.params.every((p) => p.ndim >= 2) && noDecay.params.every((p) => p.ndim === 1));
  // wte, wpe, and per layer cAttn, cProj, cFc, cProj weights; everything else is 1-d
  equal(decay.params.length, 2 + 4 * TINY.nLayer);
  equal(decay.params.length + noDecay.params.length, m.parameters().length);
  deepEqual([decay.lr, decay.betas], [1e-3, [0.9, 0.99]]);
  throws(() => m.configureOptimizers({ lr: -1 }), {
    name: "RangeError",
    message: "GPT.configureOptimizers: lr must be a number >= 0, got -1",
  });
});

Deno.test("GPT dropout: on in training, off after eval(), reproducible from the generator", () => {
  const make = () => new nn.GPT({ ...TINY, dropout: 0.3 }, { generator: new Generator(9) });
  const idx = ids([[1, 2, 3, 4]]);
  const [a, b] = [make(), make()];
  const la = a.forward(idx, idx).logits.dataSync(), lb = b.forward(idx, idx).logits.dataSync();
  deepEqual(la, lb); // same seed: same weights and the same masks
  const again = a.forward(idx, idx).logits.dataSync();
  ok(again.some((v, i) => v !== la[i])); // new masks
  a.eval();
  deepEqual(a.forward(idx, idx).logits.dataSync(), a.forward(idx, idx).logits.dataSync());
});
