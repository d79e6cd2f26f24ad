/**
 * Kata 10, steps 10.1–10.2 (reference solution): gpt.py's attention, one
 * `Head` (key, query, value without bias; the causal mask built once as a
 * buffer; scaled by head_size^−0.5; dropout on the weights) and
 * `MultiHeadAttention` (the heads side by side, a projection, dropout).
 *
 * @module
 */

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
    const { nEmbd, blockSize, dropout } = config;
    const generator = opts.generator;
    const linear = () => new nn.Linear(nEmbd, headSize, { bias: false, generator });
    this.key = this.registerModule("key", linear());
    this.query = this.registerModule("query", linear());
    this.value = this.registerModule("value", linear());
    this.tril = this.registerBuffer("tril", tril(ones([blockSize, blockSize])));
    this.dropout = this.registerModule("dropout", new nn.Dropout(dropout, { generator }));
  }

  /**
   * @param x `(B, T, C)`, T ≤ blockSize
   * @returns `(B, T, hs)`
   */
  forward(x: Tensor): Tensor {
    const T = x.shape[1];
    const k = this.key.forward(x); // (B, T, hs)
    const q = this.query.forward(x); // (B, T, hs)
    const hs = k.shape[2];
    // (B, T, hs) @ (B, hs, T) -> (B, T, T)
    let wei = q.matmul(k.transpose(-2, -1)).mul(hs ** -0.5);
    const mask = this.tril.slice(0, 0, T).slice(1, 0, T).eq(0); // (T, T): true above the diagonal
    wei = F.softmax(wei.maskedFill(mask, -Infinity), -1); // (B, T, T), rows sum to 1
    wei = this.dropout.forward(wei);
    const v = this.value.forward(x); // (B, T, hs)
    return wei.matmul(v); // (B, T, T) @ (B, T, hs) -> (B, T, hs)
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
    const generator = opts.generator;
    const heads = Array.from({ length: numHeads }, () => new Head(config, headSize, opts));
    this.heads = this.registerModule("heads", new nn.ModuleList(heads));
    this.proj = this.registerModule(
      "proj",
      new nn.Linear(numHeads * headSize, config.nEmbd, { generator }),
    );
    this.dropout = this.registerModule("dropout", new nn.Dropout(config.dropout, { generator }));
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    const out = cat([...this.heads].map((h) => h.forward(x)), -1); // (B, T, numHeads·hs)
    return this.dropout.forward(this.proj.forward(out)); // (B, T, C)
  }
}
