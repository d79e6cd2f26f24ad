/**
 * Kata 09, step 09.11: token and position embeddings, and the lecture's first
 * attention language model. Run `deno test katas/09`.
 *
 * @module
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { assertClose, KataAssertionError } from "../_lib/assert.ts";
import {
  cat,
  F,
  Generator,
  multinomial,
  nn,
  noGrad,
  randint,
  type Tensor,
  tensor,
} from "../../mod.ts";
import {
  assertMatches,
  asTensor,
  maxDiffAlongT,
  type Plain,
  plain,
  refCatLast,
  refHead,
  refLinear,
  shapeOf,
  TRAIN,
} from "./_checks.ts";
import { MultiHeadAttention } from "./multi_head.ts";
import { train } from "./bigram.ts";
import { AttentionLanguageModel } from "./positions.ts";

/** The lecture's model after "positional encoding" and "multi-head attention": 4 heads of 8. */
const LECTURE_CONFIG = { vocabSize: 65, blockSize: 8, nEmbd: 32, numHeads: 4 };

const int = (rows: number[][]) => tensor(rows, { dtype: "int32" });

/** The whole model in float64: embeddings, heads, proj, LM head. */
function refLogits(m: AttentionLanguageModel, idx: number[][]): Plain {
  const tok = m.tokenEmbeddingTable.weight.toArraySync() as number[][];
  const pos = m.positionEmbeddingTable.weight.toArraySync() as number[][];
  const B = idx.length, T = idx[0].length, C = tok[0].length;
  const x: Plain = {
    data: Float64Array.from(
      idx.flatMap((row) => row.flatMap((id, t) => tok[id].map((v, c) => v + pos[t][c]))),
    ),
    shape: [B, T, C],
  };
  const heads = [...m.saHeads.heads].map((h) => refHead(h, x, true));
  const sa = refLinear(
    refCatLast(heads),
    plain(m.saHeads.proj.weight),
    plain(m.saHeads.proj.bias!),
  );
  return refLinear(sa, plain(m.lmHead.weight), plain(m.lmHead.bias!));
}

Deno.test("09.11 AttentionLanguageModel: token table, position table, heads, LM head — 8,609 parameters", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(1337) });
  equal(
    shapeOf(m.tokenEmbeddingTable.weight),
    "(65, 32)",
    "tokenEmbeddingTable: (vocabSize, nEmbd)",
  );
  equal(
    shapeOf(m.positionEmbeddingTable.weight),
    "(8, 32)",
    "positionEmbeddingTable: (blockSize, nEmbd)",
  );
  ok(m.saHeads instanceof MultiHeadAttention, "saHeads is a MultiHeadAttention (09.9)");
  equal(m.saHeads.heads.length, 4);
  equal(shapeOf(m.saHeads.heads.at(0).key.weight), "(8, 32)", "4 heads of 32 / 4 = 8");
  equal(shapeOf(m.lmHead.weight), "(65, 32)", "lmHead: Linear(nEmbd, vocabSize)");
  equal(m.numParameters(), 65 * 32 + 8 * 32 + 4 * 3 * 32 * 8 + 32 * 32 + 32 + 32 * 65 + 65);
  const g = new Generator(1337);
  const tok = new nn.Embedding(65, 32, { generator: g }),
    pos = new nn.Embedding(8, 32, { generator: g });
  deepEqual(
    m.tokenEmbeddingTable.weight.dataSync().slice(0, 3),
    tok.weight.dataSync().slice(0, 3),
    "token table drawn first",
  );
  deepEqual(
    m.positionEmbeddingTable.weight.dataSync().slice(0, 3),
    pos.weight.dataSync().slice(0, 3),
    "position table second",
  );
});

Deno.test("09.11 embed: each token's embedding plus its position's (B 2, T 5 < blockSize 8)", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(1) });
  const idx = [[3, 9, 3, 0, 64], [9, 9, 9, 9, 9]];
  const emb = asTensor("embed(idx)", m.embed(int(idx)));
  equal(shapeOf(emb), "(2, 5, 32)", "embed is (B, T, nEmbd)");
  const tok = m.tokenEmbeddingTable.weight.toArraySync() as number[][];
  const pos = m.positionEmbeddingTable.weight.toArraySync() as number[][];
  assertMatches("embed(idx)[b, t] = tok[idx[b, t]] + pos[t]", emb, {
    data: Float64Array.from(
      idx.flatMap((row) => row.flatMap((id, t) => tok[id].map((v, c) => v + pos[t][c]))),
    ),
    shape: [2, 5, 32],
  });
});

Deno.test("09.11 forward: logits (B, T, 65) of the whole model, and the loss", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(2) });
  const idx = (randint(0, 65, [3, 8], { generator: new Generator(3) }).toArraySync()) as number[][];
  const targets = randint(0, 65, [3, 8], { generator: new Generator(4) });
  const { logits, loss } = m.forward(int(idx), targets);
  const want = refLogits(m, idx);
  assertMatches("logits = lmHead(saHeads(embed(idx)))", logits, want, 1e-4);
  const ce = F.crossEntropy(asTensor("logits", logits).view(24, 65), targets.view(24)).itemSync();
  assertClose(
    "the loss is the cross-entropy of the logits",
    asTensor("loss", loss).itemSync(),
    ce,
    1e-6,
  );
  ok(ce > 3.9 && ce < 4.5, `at init the loss is near −ln(1/65) = 4.17, got ${ce.toFixed(3)}`);
  equal(m.forward(int(idx)).loss, null, "no targets, no loss");
});

Deno.test("09.11 the same token at different positions gets different outputs (position embeddings)", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(5) });
  // Without positions, attention over "9 9 9 9 9 9" gives the same row everywhere.
  const { logits } = m.forward(int([[9, 9, 9, 9, 9, 9]]));
  const rows = asTensor("logits", logits).toArraySync() as number[][][];
  const spread = Math.max(...rows[0][5].map((v, c) => Math.abs(v - rows[0][0][c])));
  if (!(spread > 1e-3)) {
    throw new KataAssertionError(
      "the logits at positions 0 and 5 of '9 9 9 9 9 9' are equal: add row t of the position " +
        "table to the token at position t (positionEmbeddingTable.forward(arange(T)))",
    );
  }
});

Deno.test("09.11 causality of the whole model: a future token never changes earlier logits", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(6) });
  const idx = [[5, 17, 42, 1, 0, 33, 60, 12]];
  const base = m.forward(int(idx)).logits;
  for (let t = 0; t < 8; t++) {
    const changed = idx.map((row) => row.map((v, i) => (i === t ? (v + 7) % 65 : v)));
    const out = m.forward(int(changed)).logits;
    const before = maxDiffAlongT(base, out, 0, t);
    if (before > 1e-6) {
      throw new KataAssertionError(
        `changing token ${t} changed the logits before it by ${before.toExponential(2)}`,
      );
    }
    ok(maxDiffAlongT(base, out, t, t + 1) > 1e-4, `changing token ${t} changes the logits at ${t}`);
  }
});

Deno.test("09.11 generate crops the context to the last blockSize tokens", () => {
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: new Generator(7) });
  const out = asTensor("generate", m.generate(int([[1, 2]]), 14, new Generator(8)));
  equal(shapeOf(out), "(1, 16)", "2 + 14 tokens, well past blockSize 8");
  // The same loop written here: forward on idx[:, -8:], softmax of the last step, one draw.
  const g = new Generator(8);
  let idx: Tensor = int([[1, 2]]);
  noGrad(() => {
    for (let i = 0; i < 14; i++) {
      const T = idx.shape[1];
      const logits = m.forward(idx.slice(1, Math.max(0, T - 8))).logits.slice(1, -1).squeeze(1);
      idx = cat([idx, multinomial(F.softmax(logits, -1), 1, { generator: g })], 1);
    }
  });
  deepEqual(
    out.toArraySync(),
    idx.toArraySync(),
    "the tokens drawn from the last 8 tokens' logits",
  );
});

Deno.test("09.11 a brief training: 60 AdamW steps at lr 1e-2 take the loss from 4.2 below 3.0", () => {
  const g = new Generator(1337);
  const m = new AttentionLanguageModel(LECTURE_CONFIG, { generator: g });
  const losses = train(m, TRAIN, g, { steps: 60, lr: 1e-2 });
  const last = losses.slice(-20).reduce((a, b) => a + b, 0) / 20;
  ok(losses[0] > 4, `the first loss is ${losses[0].toFixed(3)}, near −ln(1/65) = 4.17`);
  ok(last < 3.0, `the mean of the last 20 losses is ${last.toFixed(3)}, expected below 3.0`);
});
