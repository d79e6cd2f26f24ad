/**
 * Kata 10, steps 10.3–10.4 (reference solution): gpt.py's `FeedFoward` (a
 * position-wise MLP, 4× wide, ReLU) and `Block` (communication then
 * computation, each a pre-LayerNorm residual branch).
 *
 * @module
 */

import { nn, type Tensor } from "../../mod.ts";
import {
  type GPTLanguageModelConfig,
  type ModuleOptions,
  MultiHeadAttention,
} from "./attention.ts";

/** `Linear(C, 4C)`, ReLU, `Linear(4C, C)`, dropout: the same MLP at every position. */
export class FeedForward extends nn.Module {
  /** `Sequential(Linear(C, 4C), ReLU(), Linear(4C, C), Dropout(dropout))`. */
  readonly net: nn.Sequential;

  /**
   * @param config nEmbd, dropout
   * @param opts generator
   */
  constructor(config: GPTLanguageModelConfig, opts: ModuleOptions = {}) {
    super();
    const { nEmbd, dropout } = config;
    const generator = opts.generator;
    this.net = this.registerModule(
      "net",
      new nn.Sequential(
        new nn.Linear(nEmbd, 4 * nEmbd, { generator }), // (B, T, C) -> (B, T, 4C)
        new nn.ReLU(),
        new nn.Linear(4 * nEmbd, nEmbd, { generator }), // (B, T, 4C) -> (B, T, C)
        new nn.Dropout(dropout, { generator }),
      ),
    );
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

/** A transformer block: `x + sa(ln1(x))`, then `x + ffwd(ln2(x))`. */
export class Block extends nn.Module {
  /** `MultiHeadAttention(config, nHead, nEmbd / nHead)`. */
  readonly sa: MultiHeadAttention;
  /** `FeedForward(config)`. */
  readonly ffwd: FeedForward;
  /** `LayerNorm(nEmbd)` before the attention. */
  readonly ln1: nn.LayerNorm;
  /** `LayerNorm(nEmbd)` before the feed-forward layer. */
  readonly ln2: nn.LayerNorm;

  /**
   * Creates sa, ffwd, ln1, ln2 (gpt.py's order).
   *
   * @param config nEmbd, nHead, blockSize, dropout
   * @param opts generator
   */
  constructor(config: GPTLanguageModelConfig, opts: ModuleOptions = {}) {
    super();
    const { nEmbd, nHead } = config;
    this.sa = this.registerModule("sa", new MultiHeadAttention(config, nHead, nEmbd / nHead, opts));
    this.ffwd = this.registerModule("ffwd", new FeedForward(config, opts));
    this.ln1 = this.registerModule("ln1", new nn.LayerNorm(nEmbd));
    this.ln2 = this.registerModule("ln2", new nn.LayerNorm(nEmbd));
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    x = x.add(this.sa.forward(this.ln1.forward(x))); // communication
    return x.add(this.ffwd.forward(this.ln2.forward(x))); // computation
  }
}
