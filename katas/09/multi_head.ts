/**
 * Kata 09, steps 09.9–09.10: multi-head attention, cross-attention and an
 * encoder block. Replace every `todo(...)` with your code; `deno test
 * katas/09` tells you what to do next. Read katas/09/README.md first.
 *
 * From the library: `new nn.ModuleList(modules)` (iterable, `.at(i)`,
 * `.length`), `new nn.Linear(inF, outF, { bias, generator })`,
 * `this.registerModule(name, m)`, `cat(tensors, dim)` [`torch.cat`], `add`;
 * and your `Head` and `attention` of 09.7–09.8.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
    todo("09.9", "MultiHeadAttention: register numHeads Heads (a ModuleList), then proj");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return todo("09.9", "MultiHeadAttention.forward: proj(every head's output, concatenated)");
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
    todo("09.10", "CrossAttentionHead: key and value read the context, query reads x");
  }

  /**
   * @param x `(B, Tq, nEmbd)`: the sequence asking
   * @param context `(B, Tk, contextDim)`: the sequence answering
   * @returns `(B, Tq, headSize)`
   */
  forward(x: Tensor, context: Tensor): Tensor {
    return todo("09.10", "CrossAttentionHead.forward: queries from x, keys/values from context");
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
    todo("09.10", "EncoderBlock: register sa, a MultiHeadAttention that is not causal");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `x + sa(x)`, `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return todo("09.10", "EncoderBlock.forward: x + sa(x)");
  }
}
