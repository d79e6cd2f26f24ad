/**
 * Kata 09, steps 09.6–09.8 (reference solution): the "mathematical trick" of
 * self-attention three ways, scaled dot-product attention, and one head.
 *
 * @module
 */

import { F, type Generator, nn, ones, type Tensor, tensor, tril, zeros } from "../../mod.ts";

/**
 * Version 1: `xbow[b, t] = mean(x[b, :t+1], 0)`, with loops.
 *
 * @param x `(B, T, C)`
 * @returns `(B, T, C)`: each position the mean of itself and every earlier one
 */
export function prefixMeanLoop(x: Tensor): Tensor {
  const [B, T, C] = x.shape;
  const xs = x.dataSync();
  const out = new Float32Array(B * T * C);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let t = 0; t < T; t++) {
        sum += xs[(b * T + t) * C + c];
        out[(b * T + t) * C + c] = sum / (t + 1);
      }
    }
  }
  return tensor(out).reshape(B, T, C);
}

/**
 * Version 2's weights: `wei = tril(ones(T, T)); wei = wei / wei.sum(1, keepdim=True)`.
 *
 * @param T the number of positions
 * @returns `(T, T)`: row t holds 1/(t+1) in columns 0..t and 0 after
 */
export function averagingWeights(T: number): Tensor {
  const wei = tril(ones([T, T])); // (T, T)
  return wei.div(wei.sum(1, { keepdim: true }));
}

/**
 * Version 2: `wei @ x`, a batched matmul: `(T, T) @ (B, T, C) -> (B, T, C)`.
 *
 * @param x `(B, T, C)`
 * @returns the prefix means
 */
export function prefixMeanMatmul(x: Tensor): Tensor {
  return averagingWeights(x.shape[1]).matmul(x);
}

/**
 * Version 3: `wei = zeros(T, T).masked_fill(tril == 0, -inf).softmax(-1)`,
 * then `wei @ x`.
 *
 * @param x `(B, T, C)`
 * @returns the prefix means
 */
export function prefixMeanSoftmax(x: Tensor): Tensor {
  const T = x.shape[1];
  const mask = tril(ones([T, T])).eq(0); // true above the diagonal: the future
  const wei = F.softmax(zeros([T, T]).maskedFill(mask, -Infinity), -1); // (T, T)
  return wei.matmul(x);
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
  const hs = q.shape[q.ndim - 1];
  const scale = opts.scale ?? hs ** -0.5;
  return q.matmul(k.transpose(-2, -1)).mul(scale); // (B, Tq, hs) @ (B, hs, Tk) -> (B, Tq, Tk)
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
  let wei = attentionScores(q, k, opts); // (B, Tq, Tk)
  if (opts.causal ?? true) {
    const [Tq, Tk] = wei.shape.slice(-2);
    wei = wei.maskedFill(tril(ones([Tq, Tk])).eq(0), -Infinity);
  }
  return F.softmax(wei, -1); // over the keys
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
  return attentionWeights(q, k, opts).matmul(v); // (B, Tq, Tk) @ (B, Tk, hv) -> (B, Tq, hv)
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
    const g = opts.generator;
    this.key = this.registerModule(
      "key",
      new nn.Linear(nEmbd, headSize, { bias: false, generator: g }),
    );
    this.query = this.registerModule(
      "query",
      new nn.Linear(nEmbd, headSize, { bias: false, generator: g }),
    );
    this.value = this.registerModule(
      "value",
      new nn.Linear(nEmbd, headSize, { bias: false, generator: g }),
    );
    this.causal = opts.causal ?? true;
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, hs)`
   */
  forward(x: Tensor): Tensor {
    const k = this.key.forward(x); // (B, T, hs)
    const q = this.query.forward(x); // (B, T, hs)
    const v = this.value.forward(x); // (B, T, hs)
    return attention(q, k, v, { causal: this.causal });
  }
}
