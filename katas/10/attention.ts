/**
 * Kata 10, steps 10.1–10.2: gpt.py's attention, one `Head` (key, query, value
 * without bias; the causal mask built once as a buffer; scaled by
 * head_size^−0.5; dropout on the weights) and `MultiHeadAttention` (the heads
 * side by side, a projection, dropout). Replace every `todo(...)` with your
 * code; `deno test katas/10` tells you what to do next. Read katas/10/README.md
 * first.
 *
 * From the library (the lecture's torch call in brackets): `new nn.Linear(inF,
 * outF, { bias, generator })`, `this.registerModule(name, m)`,
 * `this.registerBuffer(name, t)` [`self.register_buffer`], `tril(ones([n, n]))`,
 * `new nn.Dropout(p, { generator })`, `transpose(-2, -1)`, `matmul` [`@`],
 * `mul`, `slice(dim, start, end)` [`[:T, :T]`], `eq(0)` [`== 0`],
 * `maskedFill(mask, -Infinity)`, `F.softmax(x, -1)`, `new nn.ModuleList(list)`,
 * `cat(list, -1)` [`torch.cat(..., dim=-1)`].
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { cat, F, type Generator, nn, ones, type Tensor, tril } from "../../mod.ts";

/** The sizes of the lecture's GPT (gpt.py's globals, in JavaScript casing). */
export interface GPTLanguageModelConfig {
  /** Tokens in the vocabulary (65 characters). */
  vocabSize: number;
  /** The longest context T: rows of the position table, size of the mask (32; gpt.py 256). */
  blockSize: number;
  /** The embedding width C (64; gpt.py 384). */
  nEmbd: number;
  /** Attention heads per block, each of size C / nHead (4; gpt.py 6). */
  nHead: number;
  /** Transformer blocks (4; gpt.py 6). */
  nLayer: number;
  /** Dropout probability on attention weights and residual branches (0; gpt.py 0.2). */
  dropout: number;
}

/** Options of the model's modules. */
export interface ModuleOptions {
  /** The generator of the init and of the dropout masks (default: the process-wide one). */
  generator?: Generator;
}

/** One head of causal self-attention (gpt.py's `Head`). */
export class Head extends nn.Module {
  /** `Linear(nEmbd, headSize, bias=False)`. */
  readonly key: nn.Linear;
  /** `Linear(nEmbd, headSize, bias=False)`. */
  readonly query: nn.Linear;
  /** `Linear(nEmbd, headSize, bias=False)`. */
  readonly value: nn.Linear;
  /** `(blockSize, blockSize)` lower-triangular ones, built once (a buffer, not a parameter). */
  readonly tril: Tensor;
  /** Dropout on the attention weights. */
  readonly dropout: nn.Dropout;

  /**
   * Creates key, query, value (in this order), the mask and the dropout.
   *
   * @param config nEmbd, blockSize, dropout
   * @param headSize hs
   * @param opts generator
   */
  constructor(config: GPTLanguageModelConfig, headSize: number, opts: ModuleOptions = {}) {
    super();
    todo("10.1", "Head: key, query, value (Linear, no bias), the tril buffer, dropout");
  }

  /**
   * @param x `(B, T, C)`, T ≤ blockSize
   * @returns `(B, T, hs)`
   */
  forward(x: Tensor): Tensor {
    return todo("10.1", "Head.forward: q @ kᵀ · hs^−0.5, mask the future, softmax, dropout, @ v");
  }
}

/** `nHead` heads in parallel, concatenated and projected (gpt.py's `MultiHeadAttention`). */
export class MultiHeadAttention extends nn.Module {
  /** The heads, each `Head(config, headSize)`. */
  readonly heads: nn.ModuleList<Head>;
  /** `Linear(numHeads · headSize, nEmbd)`, with bias. */
  readonly proj: nn.Linear;
  /** Dropout on the output (the residual branch). */
  readonly dropout: nn.Dropout;

  /**
   * Creates the heads in order, then `proj`, then the dropout.
   *
   * @param config nEmbd, blockSize, dropout
   * @param numHeads the number of heads
   * @param headSize each head's size
   * @param opts generator
   */
  constructor(
    config: GPTLanguageModelConfig,
    numHeads: number,
    headSize: number,
    opts: ModuleOptions = {},
  ) {
    super();
    todo("10.2", "MultiHeadAttention: numHeads heads in a ModuleList, proj, dropout");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return todo(
      "10.2",
      "MultiHeadAttention.forward: the heads concatenated on the channels, proj, dropout",
    );
  }
}
