/**
 * `CausalSelfAttention`, the GPT's multi-head masked self-attention (nanoGPT's class): one fused
 * query/key/value projection, heads split with `view`/`transpose`, batched matmuls over
 * (B, nh, T, hs), a causal mask built once.
 *
 * @module
 */

import { formatShape, ShapeError } from "../errors.ts";
import { ones } from "../ops/creation.ts";
import { causalSoftmax } from "../ops/functional.ts";
import type { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { checkTensor } from "../validate.ts";
import { Dropout } from "./dropout.ts";
import { type GPTConfig, gptConfig } from "./gpt_config.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";
import { keep, tidy } from "../memory.ts";

/** Options of the GPT's modules. */
export interface GPTModuleOptions {
  /** The generator that initial weights and dropout masks are drawn from (default: the process-wide one). */
  generator?: Generator;
}

/**
 * Masked multi-head self-attention: each position attends to itself and the positions before it,
 * `softmax(q kᵀ / √hs) v` per head (hs = nEmbd / nHead), heads concatenated and projected.
 * Dropout on the attention weights and on the output (the residual branch).
 *
 * @example Causal: the first position sees only itself
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randn } from "../ops/creation.ts";
 * import { Generator } from "../random/generator.ts";
 * import { CausalSelfAttention } from "./causal_self_attention.ts";
 * const g = new Generator(1);
 * const attn = new CausalSelfAttention({ blockSize: 8, nHead: 2, nEmbd: 6 }, { generator: g });
 * const x = randn([1, 5, 6], { generator: g });
 * const y1 = attn.forward(x).slice(1, 0, 1);
 * const y2 = attn.forward(x.slice(1, 0, 1));
 * ok(y1.sub(y2).abs().max().itemSync() < 1e-6);
 * ```
 */
export class CausalSelfAttention extends Module {
  /** (C) → (3C): the queries, keys and values of all heads in one matmul. */
  readonly cAttn: Linear;
  /** (C) → (C): the output projection, back into the residual stream. */
  readonly cProj: Linear;
  /** Dropout on the attention weights. */
  readonly attnDropout: Dropout;
  /** Dropout on the output. */
  readonly residDropout: Dropout;
  /** (1, 1, blockSize, blockSize) bool, true above the diagonal (future positions); not saved. */
  readonly mask: Tensor;
  /** Heads. */
  readonly nHead: number;
  /** The width C. */
  readonly nEmbd: number;

  /**
   * Creates the layer (PyTorch's default Linear init; `GPT` re-initialises as nanoGPT does).
   *
   * @param config blockSize, nHead, nEmbd, dropout, bias (the rest of a GPTConfig is ignored)
   * @param opts generator
   * @throws {RangeError} for an invalid config (see `gptConfig`)
   */
  constructor(config: Partial<GPTConfig>, opts: GPTModuleOptions = {}) {
    super();
    const c = gptConfig(config);
    const { nEmbd, bias, dropout } = c;
    this.nHead = c.nHead;
    this.nEmbd = nEmbd;
    this.cAttn = this.registerModule("cAttn", new Linear(nEmbd, 3 * nEmbd, { bias, ...opts }));
    this.cProj = this.registerModule("cProj", new Linear(nEmbd, nEmbd, { bias, ...opts }));
    this.attnDropout = this.registerModule("attnDropout", new Dropout(dropout, opts));
    this.residDropout = this.registerModule("residDropout", new Dropout(dropout, opts));
    const bs = c.blockSize;
    // built once from tril: masked where tril(ones) is 0, i.e. key position > query position
    const future = keep(tidy(() => ones([bs, bs]).tril().eq(0).view(1, 1, bs, bs))); // (1, 1, T, T)
    this.mask = this.registerBuffer("mask", future, { persistent: false });
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    return `nHead=${this.nHead}, nEmbd=${this.nEmbd}`;
  }

  /**
   * Attends over the sequence.
   *
   * @param x `(B, T, C)` with T ≤ blockSize
   * @returns `(B, T, C)`
   * @throws {ShapeError} when x is not (B, T, nEmbd) or T exceeds blockSize
   */
  forward(x: Tensor): Tensor {
    checkTensor("CausalSelfAttention.forward", "input", x);
    const bs = this.mask.shape[3];
    if (x.ndim !== 3 || x.shape[2] !== this.nEmbd || x.shape[1] > bs) {
      throw new ShapeError(
        `CausalSelfAttention: expected input (B, T, ${this.nEmbd}) with T <= ${bs}, got ${
          formatShape(x.shape)
        }`,
      );
    }
    const [B, T, C] = x.shape, nh = this.nHead, hs = C / nh;
    const [q, k, v] = this.cAttn.forward(x).split(C, 2); // (B, T, 3C) -> 3 x (B, T, C)
    const heads = (t: Tensor) => t.view(B, T, nh, hs).transpose(1, 2); // (B, T, C) -> (B, nh, T, hs)
    const [qh, kh, vh] = [heads(q), heads(k), heads(v)];
    // (B, nh, T, hs) @ (B, nh, hs, T) -> (B, nh, T, T), scaled by 1/√hs, masked where the key
    // comes after the query (where this.mask is true), softmax over the keys: one kernel
    let att = causalSoftmax(qh.matmul(kh.transpose(-2, -1)), 1 / Math.sqrt(hs));
    att = this.attnDropout.forward(att);
    const y = att.matmul(vh); // (B, nh, T, T) @ (B, nh, T, hs) -> (B, nh, T, hs)
    // (B, nh, T, hs) -> (B, T, nh, hs) -> (B, T, C): the heads side by side
    const merged = y.transpose(1, 2).contiguous().view(B, T, C);
    return this.residDropout.forward(this.cProj.forward(merged));
  }
}
