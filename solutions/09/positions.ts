/**
 * Kata 09, step 09.11 (reference solution): token and position embeddings,
 * and the lecture's first attention language model (embeddings, multi-head
 * self-attention, a linear head), with `generate` cropping its context.
 *
 * @module
 */

import { arange, cat, F, type Generator, multinomial, nn, noGrad, type Tensor } from "../../mod.ts";
import { lmLoss, type LmOutput, type ModelOptions } from "./bigram.ts";
import { MultiHeadAttention } from "./multi_head.ts";

/** The sizes of {@link AttentionLanguageModel}. */
export interface AttentionLmConfig {
  /** Tokens in the vocabulary (65). */
  vocabSize: number;
  /** The longest context, and the rows of the position table (8). */
  blockSize: number;
  /** The embedding width C (32). */
  nEmbd: number;
  /** Heads of size `nEmbd / numHeads` (4). */
  numHeads: number;
}

/**
 * Token embeddings plus position embeddings, multi-head causal
 * self-attention, then a linear layer to the logits.
 */
export class AttentionLanguageModel extends nn.Module {
  /** The sizes. */
  readonly config: AttentionLmConfig;
  /** `Embedding(vocabSize, nEmbd)`: what each token is. */
  readonly tokenEmbeddingTable: nn.Embedding;
  /** `Embedding(blockSize, nEmbd)`: where each token is. */
  readonly positionEmbeddingTable: nn.Embedding;
  /** `MultiHeadAttention(nEmbd, numHeads, nEmbd / numHeads)`, causal. */
  readonly saHeads: MultiHeadAttention;
  /** `Linear(nEmbd, vocabSize)`. */
  readonly lmHead: nn.Linear;

  /**
   * Creates the token table, the position table, the heads and the LM head, in this order.
   *
   * @param config the sizes
   * @param opts the generator of the init
   */
  constructor(config: AttentionLmConfig, opts: ModelOptions = {}) {
    super();
    const { vocabSize, blockSize, nEmbd, numHeads } = config;
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
    this.saHeads = this.registerModule(
      "saHeads",
      new MultiHeadAttention(nEmbd, numHeads, nEmbd / numHeads, { generator }),
    );
    this.lmHead = this.registerModule("lmHead", new nn.Linear(nEmbd, vocabSize, { generator }));
  }

  /**
   * `tok_emb + pos_emb`: row `idx[b, t]` of the token table plus row `t` of the
   * position table.
   *
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @returns `(B, T, nEmbd)`
   */
  embed(idx: Tensor): Tensor {
    const T = idx.shape[1];
    const tokEmb = this.tokenEmbeddingTable.forward(idx); // (B, T, C)
    const posEmb = this.positionEmbeddingTable.forward(arange(T, { dtype: "int32" })); // (T, C)
    return tokEmb.add(posEmb); // (B, T, C) + (T, C) -> (B, T, C)
  }

  /**
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @param targets `(B, T)` int32, optional
   * @returns logits `(B, T, vocabSize)` and the loss
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    const x = this.saHeads.forward(this.embed(idx)); // (B, T, C)
    const logits = this.lmHead.forward(x); // (B, T, vocabSize)
    return { logits, loss: targets === undefined ? null : lmLoss(logits, targets) };
  }

  /**
   * Like the bigram's `generate`, but the model sees at most the last
   * `blockSize` tokens (there are no position embeddings beyond).
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
