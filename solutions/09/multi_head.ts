/**
 * Kata 09, steps 09.9–09.10 (reference solution): multi-head attention,
 * cross-attention and an encoder block.
 *
 * @module
 */

import { cat, type Generator, nn, type Tensor } from "../../mod.ts";
import { attention, Head } from "./head.ts";

/** Options of {@link MultiHeadAttention}. */
export interface MultiHeadOptions {
  /** Mask the future in every head (default true). */
  causal?: boolean;
  /** The generator of the heads' and the projection's init (default: the process-wide one). */
  generator?: Generator;
}

/**
 * `numHeads` heads side by side, their outputs concatenated along the channels
 * and mixed by a projection (gpt.py's `MultiHeadAttention`).
 */
export class MultiHeadAttention extends nn.Module {
  /** The heads, each `Head(nEmbd, headSize)`. */
  readonly heads: nn.ModuleList<Head>;
  /** `Linear(numHeads · headSize, nEmbd)`, with bias. */
  readonly proj: nn.Linear;

  /**
   * Creates the heads in order (each its key, query, value), then `proj`.
   *
   * @param nEmbd the width C of input and output
   * @param numHeads the number of heads
   * @param headSize each head's size
   * @param opts causal (true), generator
   */
  constructor(nEmbd: number, numHeads: number, headSize: number, opts: MultiHeadOptions = {}) {
    super();
    const { causal, generator } = opts;
    const heads = Array.from(
      { length: numHeads },
      () => new Head(nEmbd, headSize, { causal, generator }),
    );
    this.heads = this.registerModule("heads", new nn.ModuleList(heads));
    this.proj = this.registerModule(
      "proj",
      new nn.Linear(numHeads * headSize, nEmbd, { generator }),
    );
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    const outs = [...this.heads].map((h) => h.forward(x)); // numHeads × (B, T, hs)
    return this.proj.forward(cat(outs, -1)); // (B, T, numHeads·hs) -> (B, T, C)
  }
}

/** Options of {@link CrossAttentionHead} and {@link EncoderBlock}. */
export interface InitOptions {
  /** The generator of the init (default: the process-wide one). */
  generator?: Generator;
}

/**
 * One head of cross-attention: queries from `x`, keys and values from another
 * sequence (an encoder's output), nothing masked.
 */
export class CrossAttentionHead extends nn.Module {
  /** `Linear(contextDim, headSize, bias=False)`, applied to the context. */
  readonly key: nn.Linear;
  /** `Linear(nEmbd, headSize, bias=False)`, applied to x. */
  readonly query: nn.Linear;
  /** `Linear(contextDim, headSize, bias=False)`, applied to the context. */
  readonly value: nn.Linear;

  /**
   * Creates key, query and value, in this order.
   *
   * @param nEmbd the width of x
   * @param contextDim the width of the context
   * @param headSize the head size
   * @param opts generator
   */
  constructor(nEmbd: number, contextDim: number, headSize: number, opts: InitOptions = {}) {
    super();
    const g = opts.generator;
    this.key = this.registerModule(
      "key",
      new nn.Linear(contextDim, headSize, { bias: false, generator: g }),
    );
    this.query = this.registerModule(
      "query",
      new nn.Linear(nEmbd, headSize, { bias: false, generator: g }),
    );
    this.value = this.registerModule(
      "value",
      new nn.Linear(contextDim, headSize, { bias: false, generator: g }),
    );
  }

  /**
   * @param x `(B, Tq, nEmbd)`: the sequence asking
   * @param context `(B, Tk, contextDim)`: the sequence answering
   * @returns `(B, Tq, headSize)`
   */
  forward(x: Tensor, context: Tensor): Tensor {
    const q = this.query.forward(x); // (B, Tq, hs)
    const k = this.key.forward(context); // (B, Tk, hs)
    const v = this.value.forward(context); // (B, Tk, hs)
    return attention(q, k, v, { causal: false }); // every query sees every key
  }
}

/**
 * An encoder block: self-attention in which every token sees every other (no
 * mask), added back to its input (`x + sa(x)`).
 */
export class EncoderBlock extends nn.Module {
  /** `MultiHeadAttention(nEmbd, numHeads, nEmbd / numHeads)`, not causal. */
  readonly sa: MultiHeadAttention;

  /**
   * @param nEmbd the width C
   * @param numHeads the number of heads (dividing C)
   * @param opts generator
   */
  constructor(nEmbd: number, numHeads: number, opts: InitOptions = {}) {
    super();
    this.sa = this.registerModule(
      "sa",
      new MultiHeadAttention(nEmbd, numHeads, nEmbd / numHeads, {
        causal: false,
        generator: opts.generator,
      }),
    );
  }

  /**
   * @param x `(B, T, C)`
   * @returns `x + sa(x)`, `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return x.add(this.sa.forward(x));
  }
}
