/**
 * Kata 10, steps 10.5–10.6: gpt.py's `GPTLanguageModel`: token and position
 * embeddings, `nLayer` blocks, a final LayerNorm and a linear head with bias
 * (not tied to the embedding), gpt.py's init (`_init_weights`), and
 * `generate`. Replace every `todo(...)` with your code.
 *
 * From the library: `new nn.Embedding(n, d, { generator })`, `new
 * nn.Sequential(...blocks)`, `new nn.LayerNorm(C)`, `this.apply(fn)`
 * [`self.apply`], `nn.normal_(t, { std, generator })`
 * [`torch.nn.init.normal_`], `nn.zeros_`, `arange(T, { dtype: "int32" })`,
 * `view`, `F.crossEntropy`, `slice(1, start)` [`idx[:, -block_size:]`],
 * `squeeze`, `F.softmax`, `multinomial`, `cat`, `noGrad`; and your `Block`
 * (10.4).
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { arange, cat, F, type Generator, multinomial, nn, noGrad, type Tensor } from "../../mod.ts";
import type { GPTLanguageModelConfig, ModuleOptions } from "./attention.ts";
import { Block } from "./block.ts";

/** What {@link GPTLanguageModel.forward} returns. */
export interface LmOutput {
  /** `(B, T, vocabSize)`. */
  logits: Tensor;
  /** The mean cross-entropy of the `B·T` positions, or null without targets. */
  loss: Tensor | null;
}

/** The GPT of the lecture (ng-video-lecture's gpt.py). */
export class GPTLanguageModel extends nn.Module {
  /** The sizes. */
  readonly config: GPTLanguageModelConfig;
  /** `Embedding(vocabSize, nEmbd)`. */
  readonly tokenEmbeddingTable: nn.Embedding;
  /** `Embedding(blockSize, nEmbd)`. */
  readonly positionEmbeddingTable: nn.Embedding;
  /** `Sequential` of `nLayer` blocks. */
  readonly blocks: nn.Sequential;
  /** The final `LayerNorm(nEmbd)`. */
  readonly lnF: nn.LayerNorm;
  /** `Linear(nEmbd, vocabSize)`, with bias. */
  readonly lmHead: nn.Linear;

  /**
   * Creates the modules in gpt.py's order, then re-initialises them as
   * gpt.py's `_init_weights`: Linear and Embedding weights N(0, 0.02), biases 0.
   *
   * @param config the sizes
   * @param opts generator
   */
  constructor(config: GPTLanguageModelConfig, opts: ModuleOptions = {}) {
    super();
    todo(
      "10.5",
      "GPTLanguageModel: token and position tables, blocks, lnF, lmHead, then gpt.py's init",
    );
  }

  /**
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @param targets `(B, T)` int32, optional
   * @returns logits `(B, T, vocabSize)` and the loss
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    return todo("10.5", "forward: embeddings, blocks, lnF, lmHead, and the loss with targets");
  }

  /**
   * Draws `maxNewTokens` tokens, each from the softmax of the last position's
   * logits given at most the last `blockSize` tokens.
   *
   * @param idx `(B, T)` int32 context
   * @param maxNewTokens how many tokens to add
   * @param g the generator of the draws
   * @returns `(B, T + maxNewTokens)` int32
   */
  generate(idx: Tensor, maxNewTokens: number, g: Generator): Tensor {
    return todo("10.6", "generate: crop to the last blockSize tokens, sample, append");
  }
}
