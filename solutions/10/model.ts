/**
 * Kata 10, steps 10.5–10.6 (reference solution): gpt.py's
 * `GPTLanguageModel`: token and position embeddings, `nLayer` blocks, a final
 * LayerNorm and a linear head with bias (not tied to the embedding), gpt.py's
 * init (`_init_weights`), and `generate`.
 *
 * @module
 */

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
    const { vocabSize, blockSize, nEmbd, nLayer } = config;
    const generator = opts.generator;
    this.config = { ...config };
    this.tokenEmbeddingTable = this.registerModule(
      "tokenEmbeddingTable",
      new nn.Embedding(vocabSize, nEmbd, { generator }),
    );
    this.positionEmbeddingTable = this.registerModule(
      "positionEmbeddingTable",
      new nn.Embedding(blockSize, nEmbd, { generator }),
    );
    const blocks = Array.from({ length: nLayer }, () => new Block(config, opts));
    this.blocks = this.registerModule("blocks", new nn.Sequential(...blocks));
    this.lnF = this.registerModule("lnF", new nn.LayerNorm(nEmbd));
    this.lmHead = this.registerModule("lmHead", new nn.Linear(nEmbd, vocabSize, { generator }));
    this.apply((m) => {
      if (m instanceof nn.Linear) {
        nn.normal_(m.weight, { std: 0.02, generator });
        if (m.bias) nn.zeros_(m.bias);
      } else if (m instanceof nn.Embedding) {
        nn.normal_(m.weight, { std: 0.02, generator });
      }
    });
  }

  /**
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @param targets `(B, T)` int32, optional
   * @returns logits `(B, T, vocabSize)` and the loss
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    const [B, T] = idx.shape;
    const tokEmb = this.tokenEmbeddingTable.forward(idx); // (B, T, C)
    const posEmb = this.positionEmbeddingTable.forward(arange(T, { dtype: "int32" })); // (T, C)
    let x = tokEmb.add(posEmb); // (B, T, C)
    x = this.blocks.forward(x); // (B, T, C)
    x = this.lnF.forward(x); // (B, T, C)
    const logits = this.lmHead.forward(x); // (B, T, vocabSize)
    if (targets === undefined) return { logits, loss: null };
    const V = logits.shape[2];
    const loss = F.crossEntropy(logits.view(B * T, V), targets.view(B * T));
    return { logits, loss };
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
    const { blockSize } = this.config;
    return noGrad(() => {
      for (let i = 0; i < maxNewTokens; i++) {
        const T = idx.shape[1];
        const idxCond = T > blockSize ? idx.slice(1, T - blockSize) : idx; // (B, ≤ blockSize)
        const { logits } = this.forward(idxCond);
        const probs = F.softmax(logits.slice(1, -1).squeeze(1), -1); // (B, vocabSize)
        idx = cat([idx, multinomial(probs, 1, { generator: g })], 1); // (B, T + 1)
      }
      return idx;
    });
  }
}
