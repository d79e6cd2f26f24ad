/**
 * Kata 12's parameter types: GPT-2's weights as picoGPT nests them, with
 * TypeScript names. Every `Linear` weight is stored `[in, out]` (GPT-2's
 * Conv1D layout), so `x @ w + b` uses it as it is.
 *
 * @module
 */

import type { Tensor } from "../../mod.ts";

/** GPT-2's hyper-parameters (picoGPT's `hparams`). */
export interface HParams {
  /** Vocabulary size (50,257 for GPT-2). */
  nVocab: number;
  /** Context length: rows of `wpe` (1,024). */
  nCtx: number;
  /** Width of the residual stream (768). */
  nEmbd: number;
  /** Attention heads per layer (12). */
  nHead: number;
  /** Transformer blocks (12). */
  nLayer: number;
}

/** The 124M model's hyper-parameters (the Hugging Face file carries no config). */
export const GPT2_124M: HParams = { nVocab: 50257, nCtx: 1024, nEmbd: 768, nHead: 12, nLayer: 12 };

/** An affine map `x @ w + b`. */
export interface LinearParams {
  /** `[in, out]` */
  w: Tensor;
  /** `[out]` */
  b: Tensor;
}

/** LayerNorm's gain and bias. */
export interface LayerNormParams {
  /** gain `[nEmbd]` */
  g: Tensor;
  /** bias `[nEmbd]` */
  b: Tensor;
}

/** Multi-head attention: the fused query/key/value projection, then the output projection. */
export interface AttentionParams {
  /** `[nEmbd, 3·nEmbd]`: q, k and v side by side */
  cAttn: LinearParams;
  /** `[nEmbd, nEmbd]` */
  cProj: LinearParams;
}

/** The feed-forward network: up to 4·nEmbd, GELU, back down. */
export interface MlpParams {
  /** `[nEmbd, 4·nEmbd]` */
  cFc: LinearParams;
  /** `[4·nEmbd, nEmbd]` */
  cProj: LinearParams;
}

/** One transformer block. */
export interface BlockParams {
  /** before attention */
  ln1: LayerNormParams;
  /** attention */
  attn: AttentionParams;
  /** before the feed-forward network */
  ln2: LayerNormParams;
  /** the feed-forward network */
  mlp: MlpParams;
}

/** The whole model. There is no output matrix: logits are `x @ wteᵀ` (tied). */
export interface GPT2Params {
  /** token embeddings `[nVocab, nEmbd]` */
  wte: Tensor;
  /** position embeddings `[nCtx, nEmbd]` */
  wpe: Tensor;
  /** the transformer blocks, in order */
  blocks: BlockParams[];
  /** the final LayerNorm */
  lnF: LayerNormParams;
}
