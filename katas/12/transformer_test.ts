/**
 * Kata 12, steps 12.7–12.9: the transformer block, GPT-2's forward pass and
 * greedy generation, checked against float64 references and against what
 * PyTorch 1.13 computed from the fixture checkpoint
 * (testdata/gpt2/gen_tiny_gpt2.py). Run `deno test katas/12`.
 *
 * @module
 */

import { deepEqual, ok } from "node:assert/strict";
import { Generator, randn } from "../../mod.ts";
import {
  assertTensor,
  build,
  plain,
  refBlock,
  TINY,
  TINY_HPARAMS,
  TINY_PARAMS,
} from "./_checks.ts";
import { embed, generate, gpt2, transformerBlock } from "./transformer.ts";

const N_HEAD = TINY_HPARAMS.nHead;

Deno.test("12.7 transformerBlock: x + mha(ln_1(x)), then x + ffn(ln_2(x)) (fixture block 0, T 5)", () => {
  const block = TINY_PARAMS.blocks[0];
  const x = randn([5, 64], { generator: new Generator(7) }).mul(0.5);
  assertTensor(
    "12.7 transformerBlock(x) (pre-LayerNorm: normalise the branch's input, add to the residual)",
    transformerBlock(x, block, N_HEAD),
    refBlock(plain("x", x), block, N_HEAD),
    1e-4,
  );
});

Deno.test("12.7 transformerBlock: the second block, 4 heads, T 7", () => {
  const block = TINY_PARAMS.blocks[1];
  const x = randn([7, 64], { generator: new Generator(8) });
  assertTensor(
    "12.7 transformerBlock(x, block, 4)",
    transformerBlock(x, block, 4),
    refBlock(plain("x", x), block, 4),
    1e-4,
  );
});

Deno.test("12.8 embed: wte[inputs] + wpe[0..T−1] (and from position `start` when given)", () => {
  const ids = [3, 3, 90, 0];
  const wte = TINY_PARAMS.wte.dataSync(), wpe = TINY_PARAMS.wpe.dataSync();
  const want = (start: number) =>
    build([4, 64], (i) => {
      const t = Math.floor(i / 64), c = i % 64;
      return wte[ids[t] * 64 + c] + wpe[(start + t) * 64 + c];
    });
  assertTensor(
    "12.8 embed([3, 3, 90, 0]) (positions 0..3, not the token ids)",
    embed(ids, TINY_PARAMS),
    want(0),
    1e-6,
  );
  assertTensor(
    "12.8 embed([3, 3, 90, 0], params, 5) (positions 5..8)",
    embed(ids, TINY_PARAMS, 5),
    want(5),
    1e-6,
  );
});

Deno.test("12.8 gpt2: the fixture's logits (8, 96), as PyTorch computed them", () => {
  assertTensor(
    "12.8 gpt2(prompt) (embeddings, both blocks, ln_f, then x @ wteᵀ)",
    gpt2(TINY.prompt, TINY_PARAMS, N_HEAD),
    { data: TINY.logits, shape: [TINY.prompt.length, TINY_HPARAMS.nVocab] },
    2e-4,
  );
});

Deno.test("12.8 gpt2: changing the last token changes no earlier position's logits", () => {
  const a = plain("12.8 gpt2", gpt2(TINY.prompt, TINY_PARAMS, N_HEAD));
  const b = plain("12.8 gpt2", gpt2([...TINY.prompt.slice(0, -1), 1], TINY_PARAMS, N_HEAD));
  const V = TINY_HPARAMS.nVocab, T = TINY.prompt.length;
  for (let i = 0; i < (T - 1) * V; i++) {
    ok(
      Math.abs(a.data[i] - b.data[i]) < 1e-5,
      `12.8 gpt2: changing token ${T - 1} changed the logits at position ${Math.floor(i / V)}`,
    );
  }
});

Deno.test("12.9 generate: 12 greedy tokens, as PyTorch chose them", () => {
  const out = generate(TINY.prompt, TINY_PARAMS, N_HEAD, 12);
  deepEqual(
    out,
    TINY.continuation,
    "12.9 generate: the argmax of the LAST position's logits, appended, 12 times; returns the new " +
      "tokens only",
  );
});

Deno.test("12.9 generate: 0 tokens is [], and the prompt is not modified", () => {
  const prompt = [...TINY.prompt];
  deepEqual(generate(prompt, TINY_PARAMS, N_HEAD, 0), [], "12.9 generate(prompt, …, 0)");
  generate(prompt, TINY_PARAMS, N_HEAD, 2);
  deepEqual(prompt, TINY.prompt, "12.9 generate must not append to the caller's prompt array");
});
