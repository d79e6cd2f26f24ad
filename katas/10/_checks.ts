/**
 * Shared pieces of kata 10's tests: the configs, Tiny Shakespeare encoded by
 * the library, and float64 references of every module of gpt.py's model
 * written with plain loops from the learner's weights (independent of the
 * learner's tensor code). The attention references are kata 09's.
 *
 * @module
 */

import { KataAssertionError } from "../_lib/assert.ts";
import { CharVocab, loadDataset, splitTrainVal, type Tensor, tensor } from "../../mod.ts";
import { type Plain, plain, refAttention, refCatLast, refLinear } from "../09/_checks.ts";
import type { GPTLanguageModelConfig, Head, MultiHeadAttention } from "./attention.ts";
import type { Block, FeedForward } from "./block.ts";
import type { GPTLanguageModel } from "./model.ts";

export {
  assertMatches,
  asTensor,
  maxDiffAlongT,
  type Plain,
  plain,
  shapeOf,
  toTensor,
} from "../09/_checks.ts";

/** input.txt of the lecture (downloaded once if `KATAGRAD_DATA` lacks it). */
export const TEXT: string = await loadDataset("tinyshakespeare");
/** The lecture's 65 characters. */
export const VOCAB: CharVocab = CharVocab.fromText(TEXT);
/** The lecture's split: 1,003,854 train / 111,540 val tokens. */
export const { train: TRAIN, val: VAL } = splitTrainVal(VOCAB.encode(TEXT), 0.9);

/** The lecture's small config (gpt-dev's last cell): 0.209729 M parameters. */
export const SMALL: GPTLanguageModelConfig = {
  vocabSize: 65,
  blockSize: 32,
  nEmbd: 64,
  nHead: 4,
  nLayer: 4,
  dropout: 0,
};
/** gpt.py's config: 10.788929 M parameters. */
export const GPT_PY: GPTLanguageModelConfig = {
  vocabSize: 65,
  blockSize: 256,
  nEmbd: 384,
  nHead: 6,
  nLayer: 6,
  dropout: 0.2,
};
/** A model small enough for every test: 2 layers, 2 heads of 6, block 8. */
export const TINY: GPTLanguageModelConfig = {
  vocabSize: 65,
  blockSize: 8,
  nEmbd: 12,
  nHead: 2,
  nLayer: 2,
  dropout: 0,
};

/** `(B, T)` int32 ids. */
export const ids = (rows: number[][]): Tensor => tensor(rows, { dtype: "int32" });

/** gpt.py's `Head` in float64 (scaled by head_size^−0.5, causal). */
export function refHead(h: Head, x: Plain): Plain {
  const q = refLinear(x, plain(h.query.weight));
  const k = refLinear(x, plain(h.key.weight));
  const v = refLinear(x, plain(h.value.weight));
  return refAttention(q, k, v, { causal: true }).out;
}

/** gpt.py's `MultiHeadAttention` in float64 (dropout off). */
export function refMultiHead(m: MultiHeadAttention, x: Plain): Plain {
  const outs = [...m.heads].map((h) => refHead(h, x));
  return refLinear(refCatLast(outs), plain(m.proj.weight), plain(m.proj.bias!));
}

/** `LayerNorm` over the last dim (eps 1e-5, biased variance) in float64. */
export function refLayerNorm(x: Plain, ln: { weight: Tensor | null; bias: Tensor | null }): Plain {
  const C = x.shape[x.shape.length - 1], rows = x.data.length / C;
  const w = ln.weight ? plain(ln.weight).data : null, b = ln.bias ? plain(ln.bias).data : null;
  const y = new Float64Array(x.data.length);
  for (let r = 0; r < rows; r++) {
    const row = x.data.subarray(r * C, (r + 1) * C);
    const mean = row.reduce((a, v) => a + v, 0) / C;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / C;
    for (let c = 0; c < C; c++) {
      const n = (row[c] - mean) / Math.sqrt(variance + 1e-5);
      y[r * C + c] = n * (w ? w[c] : 1) + (b ? b[c] : 0);
    }
  }
  return { data: y, shape: [...x.shape] };
}

/** The Linear layers of a FeedForward's `net` (layers 0 and 2). */
export function feedForwardLinears(f: FeedForward): [LinearLike, LinearLike] {
  const layers = [...f.net] as unknown as LinearLike[];
  if (layers.length !== 4) {
    throw new KataAssertionError(
      `ffwd.net has ${layers.length} layers, expected 4: Linear(C, 4C), ReLU, Linear(4C, C), Dropout`,
    );
  }
  return [layers[0], layers[2]];
}

/** A Linear layer's parameters. */
export interface LinearLike {
  /** `(out, in)`. */
  weight: Tensor;
  /** `(out)` or null. */
  bias: Tensor | null;
}

/** gpt.py's `FeedFoward` in float64: Linear, ReLU, Linear. */
export function refFeedForward(f: FeedForward, x: Plain): Plain {
  const [l1, l2] = feedForwardLinears(f);
  const h = refLinear(x, plain(l1.weight), l1.bias ? plain(l1.bias) : null);
  const r = { data: h.data.map((v) => Math.max(v, 0)), shape: h.shape };
  return refLinear(r, plain(l2.weight), l2.bias ? plain(l2.bias) : null);
}

const addPlain = (a: Plain, b: Plain): Plain => ({
  data: a.data.map((v, i) => v + b.data[i]),
  shape: a.shape,
});

/** gpt.py's `Block` in float64: `x + sa(ln1(x))`, then `x + ffwd(ln2(x))`. */
export function refBlock(b: Block, x: Plain): Plain {
  x = addPlain(x, refMultiHead(b.sa, refLayerNorm(x, b.ln1)));
  return addPlain(x, refFeedForward(b.ffwd, refLayerNorm(x, b.ln2)));
}

/** The whole model in float64: embeddings, blocks, lnF, lmHead. */
export function refLogits(m: GPTLanguageModel, idx: number[][]): Plain {
  const tok = m.tokenEmbeddingTable.weight.toArraySync() as number[][];
  const pos = m.positionEmbeddingTable.weight.toArraySync() as number[][];
  const B = idx.length, T = idx[0].length, C = tok[0].length;
  let x: Plain = {
    data: Float64Array.from(
      idx.flatMap((row) => row.flatMap((id, t) => tok[id].map((v, c) => v + pos[t][c]))),
    ),
    shape: [B, T, C],
  };
  for (const b of m.blocks) x = refBlock(b as unknown as Block, x);
  x = refLayerNorm(x, m.lnF);
  return refLinear(x, plain(m.lmHead.weight), m.lmHead.bias ? plain(m.lmHead.bias) : null);
}
