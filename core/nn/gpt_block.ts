/**
 * The GPT's feed-forward layer (`MLP`) and its transformer block (`Block`), as nanoGPT writes
 * them: pre-LayerNorm residual branches, communication (attention) then computation (MLP).
 *
 * @module
 */

import type { Tensor } from "../tensor.ts";
import { GELU } from "./activations.ts";
import { CausalSelfAttention, type GPTModuleOptions } from "./causal_self_attention.ts";
import { Dropout } from "./dropout.ts";
import { type GPTConfig, gptConfig } from "./gpt_config.ts";
import { LayerNorm } from "./layer_norm.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";

/**
 * The position-wise feed-forward layer: `Linear(C, 4C)`, the exact (erf) GELU as nanoGPT's
 * `nn.GELU()`, `Linear(4C, C)`, dropout.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { MLP } from "./gpt_block.ts";
 * const mlp = new MLP({ nEmbd: 8, nHead: 2 });
 * deepEqual(mlp.cFc.weight.shape, [32, 8]);
 * deepEqual(mlp.forward(zeros([2, 3, 8])).shape, [2, 3, 8]);
 * ```
 */
export class MLP extends Module {
  /** (C) → (4C). */
  readonly cFc: Linear;
  /** The exact GELU. */
  readonly gelu: GELU;
  /** (4C) → (C), back into the residual stream. */
  readonly cProj: Linear;
  /** Dropout on the output. */
  readonly dropout: Dropout;

  /**
   * Creates the layer.
   *
   * @param config nEmbd, dropout, bias (the rest of a GPTConfig is ignored)
   * @param opts generator
   * @throws {RangeError} for an invalid config
   */
  constructor(config: Partial<GPTConfig>, opts: GPTModuleOptions = {}) {
    super();
    const { nEmbd, bias, dropout } = gptConfig(config);
    this.cFc = this.registerModule("cFc", new Linear(nEmbd, 4 * nEmbd, { bias, ...opts }));
    this.gelu = this.registerModule("gelu", new GELU());
    this.cProj = this.registerModule("cProj", new Linear(4 * nEmbd, nEmbd, { bias, ...opts }));
    this.dropout = this.registerModule("dropout", new Dropout(dropout, opts));
  }

  /**
   * Applies the layer at every position.
   *
   * @param x `(..., C)`
   * @returns `(..., C)`
   * @throws {ShapeError} when x's last dim is not C
   */
  forward(x: Tensor): Tensor {
    const h = this.gelu.forward(this.cFc.forward(x)); // (B, T, C) -> (B, T, 4C)
    return this.dropout.forward(this.cProj.forward(h)); // (B, T, 4C) -> (B, T, C)
  }
}

/**
 * A transformer block: `x + attn(ln1(x))`, then `x + mlp(ln2(x))` (LayerNorm before each
 * branch, the residual stream left untouched by it).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { Block } from "./gpt_block.ts";
 * const block = new Block({ blockSize: 8, nEmbd: 12, nHead: 3, bias: false });
 * deepEqual(block.forward(randn([2, 5, 12])).shape, [2, 5, 12]);
 * ```
 */
export class Block extends Module {
  /** LayerNorm before attention. */
  readonly ln1: LayerNorm;
  /** Masked multi-head self-attention. */
  readonly attn: CausalSelfAttention;
  /** LayerNorm before the MLP. */
  readonly ln2: LayerNorm;
  /** The feed-forward layer. */
  readonly mlp: MLP;

  /**
   * Creates the block.
   *
   * @param config blockSize, nHead, nEmbd, dropout, bias
   * @param opts generator
   * @throws {RangeError} for an invalid config
   */
  constructor(config: Partial<GPTConfig>, opts: GPTModuleOptions = {}) {
    super();
    const c = gptConfig(config);
    this.ln1 = this.registerModule("ln1", new LayerNorm(c.nEmbd, { bias: c.bias }));
    this.attn = this.registerModule("attn", new CausalSelfAttention(c, opts));
    this.ln2 = this.registerModule("ln2", new LayerNorm(c.nEmbd, { bias: c.bias }));
    this.mlp = this.registerModule("mlp", new MLP(c, opts));
  }

  /**
   * Runs both residual branches.
   *
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   * @throws {ShapeError} when x is not (B, T, nEmbd) with T ≤ blockSize
   */
  forward(x: Tensor): Tensor {
    x = x.add(this.attn.forward(this.ln1.forward(x)));
    return x.add(this.mlp.forward(this.ln2.forward(x)));
  }
}
