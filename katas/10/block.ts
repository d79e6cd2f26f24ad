/**
 * Kata 10, steps 10.3–10.4: gpt.py's `FeedFoward` (a position-wise MLP, 4×
 * wide, ReLU) and `Block` (communication then computation, each a
 * pre-LayerNorm residual branch). Replace every `todo(...)` with your code.
 *
 * From the library: `new nn.Sequential(...modules)`, `new nn.Linear(inF, outF,
 * { generator })`, `new nn.ReLU()`, `new nn.Dropout(p, { generator })`,
 * `new nn.LayerNorm(C)`, `add` [`+`]; and your `MultiHeadAttention` (10.2).
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
    todo("10.3", "FeedForward: net = Sequential(Linear(C, 4C), ReLU, Linear(4C, C), Dropout)");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return todo("10.3", "FeedForward.forward: net(x)");
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
    todo("10.4", "Block: sa = MultiHeadAttention(nHead heads of nEmbd / nHead), ffwd, ln1, ln2");
  }

  /**
   * @param x `(B, T, C)`
   * @returns `(B, T, C)`
   */
  forward(x: Tensor): Tensor {
    return todo("10.4", "Block.forward: x + sa(ln1(x)), then x + ffwd(ln2(x))");
  }
}
