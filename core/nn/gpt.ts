/**
 * `GPT`, nanoGPT's decoder-only transformer: token and position embeddings, `nLayer` blocks, a
 * final LayerNorm and a language-model head that shares the token embedding's weight.
 *
 * @module
 */

import { DTypeError, formatShape, ShapeError } from "../errors.ts";
import { arange, empty } from "../ops/creation.ts";
import { crossEntropy } from "../ops/functional.ts";
import { keep } from "../memory.ts";
import { AdamW } from "../optim/adam.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkBoolean,
  checkInstance,
  checkNumber,
  checkNumbers,
  checkOptions,
  checkTensor,
} from "../validate.ts";
import type { GPTModuleOptions } from "./causal_self_attention.ts";
import { ModuleList } from "./containers.ts";
import { Dropout } from "./dropout.ts";
import { Embedding } from "./embedding.ts";
import { Block } from "./gpt_block.ts";
import { type GPTConfig, gptConfig } from "./gpt_config.ts";
import { generate, type GenerateOptions } from "./gpt_generate.ts";
import { kaimingUniform_, normal_, zeros_ } from "./init.ts";
import { LayerNorm } from "./layer_norm.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";

/** What {@linkcode GPT.forward} returns. */
export interface GPTOutput {
  /** `(B, T, vocabSize)` with targets; `(B, 1, vocabSize)`, the last position only, without. */
  logits: Tensor;
  /** The mean cross-entropy over positions whose target is not −1; null without targets. */
  loss: Tensor | null;
}

/** Options of {@linkcode GPT.configureOptimizers} (nanoGPT's `train.py` defaults). */
export interface ConfigureOptimizersOptions {
  /** Decoupled weight decay of the ≥ 2-d parameters (default 0.1). */
  weightDecay?: number;
  /** The learning rate (default 6e-4). */
  lr?: number;
  /** AdamW's betas (default [0.9, 0.95]). */
  betas?: readonly [number, number];
}

/**
 * nanoGPT's GPT. Weights are initialised as nanoGPT does, from `opts.generator`: every Linear
 * and Embedding weight N(0, 0.02), biases zero, and the residual projections (`cProj`, the
 * Linears that write into the residual stream) N(0, 0.02/√(2·nLayer)). The draws follow
 * nanoGPT's order, its default inits included, so `new GPT(cfg, { generator: new Generator(s) })`
 * has the weights of `torch.manual_seed(s); GPT(cfg)` (the tied weight is drawn twice, as
 * nanoGPT visits it as `wte` and again as `lm_head`). Dropout masks come from the same generator.
 *
 * Parameter counts: `numParameters()` counts every parameter once (the tied weight once), as
 * `sum(p.numel() for p in model.parameters())`; nanoGPT prints
 * `numParameters({ nonEmbedding: true })`, which leaves out the position embeddings.
 *
 * @example
 * ```ts
 * import { deepEqual, ok } from "node:assert/strict";
 * import { tensor } from "../ops/creation.ts";
 * import { Generator } from "../random/generator.ts";
 * import { GPT } from "./gpt.ts";
 * const cfg = { vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16 };
 * const model = new GPT(cfg, { generator: new Generator(1337) });
 * const idx = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
 * const { logits, loss } = model.forward(idx, tensor([[2, 3, 4], [5, 6, -1]], { dtype: "int32" }));
 * deepEqual(logits.shape, [2, 3, 11]);
 * ok(Math.abs(loss!.itemSync() - Math.log(11)) < 0.1); // near uniform at init
 * deepEqual(model.forward(idx).logits.shape, [2, 1, 11]);
 * ```
 */
export class GPT extends Module {
  /** The validated config. */
  readonly config: Readonly<GPTConfig>;
  /** Token embeddings (vocabSize, C); also the lm_head's weight (weight tying). */
  readonly wte: Embedding;
  /** Position embeddings (blockSize, C). */
  readonly wpe: Embedding;
  /** Dropout on the summed embeddings. */
  readonly drop: Dropout;
  /** The transformer blocks. */
  readonly h: ModuleList<Block>;
  /** The final LayerNorm. */
  readonly lnF: LayerNorm;
  /** Positions 0 .. blockSize − 1 (int32), built once; not saved. */
  readonly pos: Tensor;

  /**
   * Builds and initialises the model.
   *
   * @param config the shape; missing fields take nanoGPT's defaults (`GPT_CONFIG_DEFAULTS`)
   * @param opts generator
   * @throws {TypeError} for an unknown config field or option
   * @throws {RangeError} for an invalid config
   */
  constructor(config: Partial<GPTConfig>, opts: GPTModuleOptions = {}) {
    super();
    const c = this.config = gptConfig(config);
    const o = checkOptions("GPT", opts, ["generator"]);
    if (o.generator !== undefined) {
      checkInstance("GPT", "generator", o.generator, Generator, "a Generator");
    }
    const generator = o.generator;
    this.wte = this.registerModule("wte", new Embedding(c.vocabSize, c.nEmbd, { generator }));
    this.wpe = this.registerModule("wpe", new Embedding(c.blockSize, c.nEmbd, { generator }));
    this.drop = this.registerModule("drop", new Dropout(c.dropout, { generator }));
    const blocks = Array.from({ length: c.nLayer }, () => new Block(c, { generator }));
    this.h = this.registerModule("h", new ModuleList(blocks));
    this.lnF = this.registerModule("lnF", new LayerNorm(c.nEmbd, { bias: c.bias }));
    this.pos = this.registerBuffer("pos", keep(arange(0, c.blockSize)), { persistent: false });
    // nanoGPT builds lm_head = Linear(C, V, bias=False) here and ties it to wte: its default
    // init draws are consumed so that the draws below match nanoGPT's.
    kaimingUniform_(empty([c.vocabSize, c.nEmbd], "float32", "cpu"), {
      a: Math.sqrt(5),
      generator,
    });
    this.apply((m) => {
      if (m instanceof Linear) {
        normal_(m.weight, { std: 0.02, generator });
        if (m.bias) zeros_(m.bias);
      } else if (m instanceof Embedding) {
        normal_(m.weight, { std: 0.02, generator });
      }
    });
    normal_(this.wte.weight, { std: 0.02, generator }); // visited again as lm_head
    for (const [name, p] of this.namedParameters()) {
      if (name.endsWith("cProj.weight")) {
        normal_(p, { std: 0.02 / Math.sqrt(2 * c.nLayer), generator });
      }
    }
  }

  /**
   * The hyper-parameters `toString()` shows.
   *
   * @returns the text inside the parentheses
   */
  protected override extraRepr(): string {
    const c = this.config;
    return `vocabSize=${c.vocabSize}, blockSize=${c.blockSize}, dropout=${c.dropout}, bias=${c.bias}`;
  }

  /**
   * The number of parameters, each tensor once (the tied lm_head/wte weight once).
   *
   * @param opts nonEmbedding: leave out the position embeddings, as nanoGPT's
   *   `get_num_params()` (default false)
   * @returns the count
   */
  override numParameters(opts: { nonEmbedding?: boolean } = {}): number {
    const o = checkOptions("GPT.numParameters", opts, ["nonEmbedding"]);
    const non = o.nonEmbedding === undefined
      ? false
      : checkBoolean("GPT.numParameters", "nonEmbedding", o.nonEmbedding);
    return super.numParameters() - (non ? this.wpe.weight.size : 0);
  }

  /**
   * Runs the model on token ids.
   *
   * @param idx `(B, T)` int32 token ids, T ≤ blockSize
   * @param targets `(B, T)` int32 next-token ids (−1: no loss at that position), or nothing
   * @returns the logits, and the loss when targets are given
   * @throws {ShapeError} when idx is not 2-d, T exceeds blockSize, or targets differ in shape
   * @throws {DTypeError} when idx or targets are not int32
   * @throws {IndexError} when a token id is out of range
   */
  forward(idx: Tensor, targets?: Tensor | null): GPTOutput {
    this.#checkInput(idx, targets);
    const [B, T] = idx.shape, { blockSize, nEmbd: C, vocabSize: V } = this.config;
    const pos = T === blockSize ? this.pos : this.pos.slice(0, 0, T); // (T)
    const tokEmb = this.wte.forward(idx); // (B, T) -> (B, T, C)
    const posEmb = this.wpe.forward(pos); // (T) -> (T, C), broadcast over B
    let x = this.drop.forward(tokEmb.add(posEmb));
    for (const block of this.h) x = block.forward(x);
    x = this.lnF.forward(x);
    if (targets === undefined || targets === null) {
      const last = x.slice(1, T - 1, T).reshape(B, C); // (B, T, C) -> (B, 1, C) -> (B, C)
      const logits = this.#lmHead(last).view(B, 1, V); // (B, V) -> (B, 1, V)
      return { logits, loss: null };
    }
    const logits = this.#lmHead(x.view(B * T, C)); // (B, T, C) -> (B*T, C) -> (B*T, V)
    const loss = crossEntropy(logits, targets.reshape(B * T), { ignoreIndex: -1 }); // (B, T) -> (B*T)
    return { logits: logits.view(B, T, V), loss }; // (B*T, V) -> (B, T, V)
  }

  /** The language-model head: a Linear without bias whose weight is wte's. */
  #lmHead(x: Tensor): Tensor {
    return x.matmul(this.wte.weight.t()); // (N, C) @ (C, V) -> (N, V)
  }

  #checkInput(idx: Tensor, targets: Tensor | null | undefined): void {
    checkTensor("GPT.forward", "idx", idx);
    if (idx.dtype !== "int32") {
      throw new DTypeError(`GPT.forward: idx must be int32 token ids, got ${idx.dtype}`);
    }
    if (idx.ndim !== 2 || idx.shape[1] < 1 || idx.shape[1] > this.config.blockSize) {
      throw new ShapeError(
        `GPT.forward: idx must be (B, T) with 1 <= T <= blockSize ${this.config.blockSize}, got ${
          formatShape(idx.shape)
        }`,
      );
    }
    if (targets === undefined || targets === null) return;
    checkTensor("GPT.forward", "targets", targets);
    if (targets.dtype !== "int32") {
      throw new DTypeError(`GPT.forward: targets must be int32 token ids, got ${targets.dtype}`);
    }
    if (targets.shape.join() !== idx.shape.join()) {
      throw new ShapeError(
        `GPT.forward: targets must have idx's shape ${formatShape(idx.shape)}, got ${
          formatShape(targets.shape)
        }`,
      );
    }
  }

  /**
   * Samples `maxNewTokens` tokens after `idx`, one at a time, each from the model's distribution
   * over the last `blockSize` tokens (no gradients recorded; call `eval()` first so dropout is
   * off, as nanoGPT's `sample.py` does).
   *
   * @param idx `(B, T)` int32 prompt ids (T ≥ 1; longer than blockSize is cropped)
   * @param maxNewTokens how many tokens to add
   * @param opts temperature (default 1), topK, generator
   * @returns `(B, T + maxNewTokens)` int32 ids, on idx's device
   * @throws {RangeError} for a negative maxNewTokens, a temperature ≤ 0 or a topK < 1
   */
  generate(idx: Tensor, maxNewTokens: number, opts: GenerateOptions = {}): Promise<Tensor> {
    return generate(this, idx, maxNewTokens, opts);
  }

  /**
   * nanoGPT's optimizer: AdamW with weight decay on the ≥ 2-d parameters (matmul weights and
   * embeddings) and none on the 1-d ones (biases, LayerNorm gains).
   *
   * @param opts weightDecay (0.1), lr (6e-4), betas ([0.9, 0.95])
   * @returns the optimizer, groups [decayed, not decayed]
   * @throws {RangeError} for a negative weight decay or lr, or betas outside [0, 1)
   */
  configureOptimizers(opts: ConfigureOptimizersOptions = {}): AdamW {
    const op = "GPT.configureOptimizers";
    const o = checkOptions(op, opts, ["weightDecay", "lr", "betas"]);
    const weightDecay = checkNumber(op, "weightDecay", o.weightDecay ?? 0.1, { min: 0 });
    const lr = checkNumber(op, "lr", o.lr ?? 6e-4, { min: 0 });
    const betas = checkNumbers(op, "betas", o.betas ?? [0.9, 0.95], { min: 0 });
    const params = this.parameters();
    return new AdamW([
      { params: params.filter((p) => p.ndim >= 2), weightDecay },
      { params: params.filter((p) => p.ndim < 2), weightDecay: 0 },
    ], { lr, betas: betas as [number, number] });
  }
}
