/**
 * Kata 09, steps 09.6–09.8: the "mathematical trick" of self-attention three
 * ways, scaled dot-product attention, and one head of self-attention. Replace
 * every `todo(...)` with your code; `deno test katas/09` tells you what to do
 * next. Read katas/09/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `tril(ones([T, T]))`
 * [`torch.tril(torch.ones(T, T))`], `sum(1, { keepdim: true })`, `matmul`
 * [`@`], `zeros`, `eq(0)` [`== 0`], `maskedFill(mask, -Infinity)`
 * [`masked_fill(mask, float('-inf'))`], `F.softmax(x, -1)`, `transpose(-2, -1)`,
 * `mul`, `new nn.Linear(inF, outF, { bias: false, generator })`,
 * `this.registerModule(name, m)`, `dataSync()`, `tensor(float32Array)`, `reshape`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { F, type Generator, nn, ones, type Tensor, tensor, tril, zeros } from "../../mod.ts";

/**
 * Version 1: `xbow[b, t] = mean(x[b, :t+1], 0)`, with loops.
 *
 * @param x `(B, T, C)`
 * @returns `(B, T, C)`: each position the mean of itself and every earlier one
 */
export function prefixMeanLoop(x: Tensor): Tensor {
  return todo("09.6", "prefixMeanLoop: xbow[b, t] = mean of x[b, 0..t], with loops");
}

/**
 * Version 2's weights: `wei = tril(ones(T, T)); wei = wei / wei.sum(1, keepdim=True)`.
 *
 * @param T the number of positions
 * @returns `(T, T)`: row t holds 1/(t+1) in columns 0..t and 0 after
 */
export function averagingWeights(T: number): Tensor {
  return todo("09.6", "averagingWeights: tril(ones(T, T)), each row divided by its sum");
}

/**
 * Version 2: `wei @ x`, a batched matmul: `(T, T) @ (B, T, C) -> (B, T, C)`.
 *
 * @param x `(B, T, C)`
 * @returns the prefix means
 */
export function prefixMeanMatmul(x: Tensor): Tensor {
  return todo("09.6", "prefixMeanMatmul: averagingWeights(T) @ x");
}

/**
 * Version 3: `wei = zeros(T, T).masked_fill(tril == 0, -inf).softmax(-1)`,
 * then `wei @ x`.
 *
 * @param x `(B, T, C)`
 * @returns the prefix means
 */
export function prefixMeanSoftmax(x: Tensor): Tensor {
  return todo("09.6", "prefixMeanSoftmax: zeros, -inf above the diagonal, softmax, @ x");
}

/** Options of the attention functions. */
export interface AttentionOptions {
  /** Mask the future: query t sees keys 0..t only (a decoder). Default true. */
  causal?: boolean;
  /** Multiplies `q @ kᵀ`; default `head_size ** -0.5` (head_size = `q.shape[-1]`). */
  scale?: number;
}

/**
 * The affinities `q @ kᵀ · scale`, before any mask.
 *
 * @param q `(B, Tq, hs)` queries
 * @param k `(B, Tk, hs)` keys
 * @param opts `scale` (default `hs ** -0.5`)
 * @returns `(B, Tq, Tk)`
 */
export function attentionScores(q: Tensor, k: Tensor, opts: AttentionOptions = {}): Tensor {
  return todo("09.7", "attentionScores: q @ kᵀ, times opts.scale ?? head_size ** -0.5");
}

/**
 * The attention weights: the scores, the future masked with −∞ (when
 * causal), softmax over the keys.
 *
 * @param q `(B, Tq, hs)` queries
 * @param k `(B, Tk, hs)` keys
 * @param opts `causal` (default true), `scale`
 * @returns `(B, Tq, Tk)`, each row summing to 1
 */
export function attentionWeights(q: Tensor, k: Tensor, opts: AttentionOptions = {}): Tensor {
  return todo("09.7", "attentionWeights: scores, -inf above the diagonal when causal, softmax");
}

/**
 * Scaled dot-product attention: `attentionWeights(q, k) @ v`.
 *
 * @param q `(B, Tq, hs)` queries
 * @param k `(B, Tk, hs)` keys
 * @param v `(B, Tk, hv)` values
 * @param opts `causal` (default true), `scale`
 * @returns `(B, Tq, hv)`
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  return todo("09.7", "attention: attentionWeights(q, k, opts) @ v");
}

/** Options of {@link Head}. */
export interface HeadOptions {
  /** Mask the future (default true: a decoder head; false: an encoder head). */
  causal?: boolean;
  /** The generator of the three Linear layers' init (default: the process-wide one). */
  generator?: Generator;
}

/** One head of self-attention: key, query and value projections of the same x. */
export class Head extends nn.Module {
  /** `Linear(nEmbd, headSize, bias=False)`: what each token contains. */
  readonly key: nn.Linear;
  /** `Linear(nEmbd, headSize, bias=False)`: what each token looks for. */
  readonly query: nn.Linear;
  /** `Linear(nEmbd, headSize, bias=False)`: what each token gives when attended to. */
  readonly value: nn.Linear;
  /** Whether the future is masked. */
  readonly causal: boolean;

  /**
   * Creates key, query and value, in this order.
   *
   * @param nEmbd the input width C
   * @param headSize the head size hs
   * @param opts causal (true), generator
   */
  constructor(nEmbd: number, headSize: number, opts: HeadOptions = {}) {
    super();
    todo("09.8", "Head: register key, query, value = Linear(nEmbd, headSize, bias false)");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, hs)`
   */
  forward(x: Tensor): Tensor {
    return todo("09.8", "Head.forward: attention(query(x), key(x), value(x), { causal })");
  }
}
