/**
 * Kata 12, steps 12.7–12.9: the transformer block, GPT-2's forward pass and
 * greedy generation (picoGPT's `transformer_block`, `gpt2` and `generate`).
 * Replace every `todo(...)` with your code; `deno test katas/12` tells you what
 * to do next.
 *
 * From the library: `wte.index(tensor(Int32Array.from(ids)))` [`wte[inputs]`],
 * `wpe.narrow(0, start, T)` [`wpe[range(T)]`], `wte.transpose(0, 1)` [`wte.T`],
 * `logits.select(0, t)` [`logits[t]`], `argmax()`, `itemSync()`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type Tensor, tensor } from "../../mod.ts";
import type { BlockParams, GPT2Params } from "./_types.ts";
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
  return todo("12.7", "transformerBlock: x + mha(ln_1(x)), then x + ffn(ln_2(x))");
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
  return todo("12.8", "embed: wte[inputs] + wpe[start .. start + T − 1]");
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
  return todo("12.8", "gpt2: embed, every block, ln_f, then @ wteᵀ");
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
  return todo("12.9", "generate: nTokens times, argmax of the last row of gpt2(ids), appended");
}
