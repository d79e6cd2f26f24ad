/**
 * Kata 12, steps 12.7–12.9, the reference solution: the transformer
 * block, GPT-2's forward pass and greedy generation.
 *
 * @module
 */

import { type Tensor, tensor } from "../../mod.ts";
import type { BlockParams, GPT2Params } from "../../katas/12/_types.ts";
import { ffn, layerNorm } from "./functions.ts";
import { mha } from "./multi_head.ts";

/**
 * One block with pre-LayerNorm residuals:
 * `x + mha(ln_1(x))`, then `x + ffn(ln_2(x))`.
 *
 * @param x `(T, C)`
 * @param block the block's parameters
 * @param nHead attention heads
 * @returns `(T, C)`
 */
export function transformerBlock(x: Tensor, block: BlockParams, nHead: number): Tensor {
  x = x.add(mha(layerNorm(x, block.ln1), block.attn, nHead)); // (T, C)
  return x.add(ffn(layerNorm(x, block.ln2), block.mlp)); // (T, C)
}

/**
 * The token embeddings of `inputs` plus the position embeddings of 0..T−1.
 *
 * @param inputs token ids, at most `nCtx` of them
 * @param params `wte` and `wpe`
 * @param start the first token's position (0 unless a cache holds earlier tokens)
 * @returns `(T, C)`
 */
export function embed(inputs: readonly number[], params: GPT2Params, start = 0): Tensor {
  const ids = tensor(Int32Array.from(inputs));
  return params.wte.index(ids).add(params.wpe.narrow(0, start, inputs.length)); // (T, C)
}

/**
 * GPT-2's forward pass: embeddings, the blocks, the final LayerNorm, and the
 * logits through the token embedding (`x @ wteᵀ`, tied).
 *
 * @param inputs token ids (1 to `nCtx` of them)
 * @param params the weights
 * @param nHead attention heads
 * @returns `(T, nVocab)`: the logits of the next token after each position
 */
export function gpt2(inputs: readonly number[], params: GPT2Params, nHead: number): Tensor {
  let x = embed(inputs, params); // (T, C)
  for (const block of params.blocks) x = transformerBlock(x, block, nHead);
  return layerNorm(x, params.lnF).matmul(params.wte.transpose(0, 1)); // (T, nVocab)
}

/**
 * Greedy decoding as picoGPT does it: run the whole sequence, take the argmax of
 * the last position's logits, append, repeat (no cache).
 *
 * @param inputs the prompt's token ids
 * @param params the weights
 * @param nHead attention heads
 * @param nTokens how many tokens to generate
 * @returns the generated ids only (not the prompt)
 */
export function generate(
  inputs: readonly number[],
  params: GPT2Params,
  nHead: number,
  nTokens: number,
): number[] {
  const ids = [...inputs];
  for (let i = 0; i < nTokens; i++) {
    const logits = gpt2(ids, params, nHead); // (T, nVocab)
    ids.push(logits.select(0, ids.length - 1).argmax().itemSync());
  }
  return ids.slice(inputs.length);
}
