/**
 * Kata 09, step 09.11: token and position embeddings, and the lecture's first
 * attention language model (embeddings, multi-head self-attention, a linear
 * head), with `generate` cropping its context. Replace every `todo(...)` with
 * your code; `deno test katas/09` tells you what to do next. Read
 * katas/09/README.md first.
 *
 * From the library (the lecture's torch call in brackets): `new
 * nn.Embedding(n, d, { generator })`, `arange(T)` [`torch.arange(T)`], `add`
 * (broadcasting `(T, C)` over `(B, T, C)`), `new nn.Linear(inF, outF, {
 * generator })`, `slice(1, start)` [`idx[:, -block_size:]`], `F.softmax`,
 * `multinomial`, `cat`, `noGrad`; and your `MultiHeadAttention` (09.9) and
 * `lmLoss` (09.3).
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
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
    todo("09.11", "AttentionLanguageModel: token table, position table, saHeads, lmHead");
  }

  /**
   * `tok_emb + pos_emb`: row `idx[b, t]` of the token table plus row `t` of the
   * position table.
   *
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @returns `(B, T, nEmbd)`
   */
  embed(idx: Tensor): Tensor {
    return todo("09.11", "embed: tokenEmbeddingTable(idx) + positionEmbeddingTable(arange(T))");
  }

  /**
   * @param idx `(B, T)` int32, T ≤ blockSize
   * @param targets `(B, T)` int32, optional
   * @returns logits `(B, T, vocabSize)` and the loss
   */
  forward(idx: Tensor, targets?: Tensor): LmOutput {
    return todo("09.11", "forward: lmHead(saHeads(embed(idx))), and lmLoss with targets");
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
    return todo("09.11", "generate: as the bigram's, on the last blockSize tokens only");
  }
}
