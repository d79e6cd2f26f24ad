/**
 * The GPT's configuration (nanoGPT's `GPTConfig`, in JavaScript casing), its validation, and
 * three presets with their training hyper-parameters: nanoGPT's CPU "baby" run, the GPT lecture's
 * small model and `gpt.py`'s full one.
 *
 * @module
 */

import { checkBoolean, checkNumber, checkOptions, describe } from "../validate.ts";

/** The shape of a GPT. Defaults (`GPT_CONFIG_DEFAULTS`) are nanoGPT's, GPT-2 small's shape. */
export interface GPTConfig {
  /** Token ids are in [0, vocabSize) (default 50304: GPT-2's 50257 padded to a multiple of 64). */
  vocabSize: number;
  /** The longest context: positions embedded and the causal mask's size (default 1024). */
  blockSize: number;
  /** Transformer blocks (default 12). */
  nLayer: number;
  /** Attention heads per block; nEmbd must be a multiple (default 12). */
  nHead: number;
  /** The embedding width C; each head gets C / nHead (default 768). */
  nEmbd: number;
  /** Dropout probability after the embeddings, on attention weights and on residuals (default 0). */
  dropout: number;
  /** Biases in the Linears and LayerNorms: true as GPT-2, false a bit better and faster (default true). */
  bias: boolean;
}

/**
 * nanoGPT's `GPTConfig` defaults.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { GPT_CONFIG_DEFAULTS } from "./gpt_config.ts";
 * equal(GPT_CONFIG_DEFAULTS.nEmbd / GPT_CONFIG_DEFAULTS.nHead, 64); // head size
 * ```
 */
export const GPT_CONFIG_DEFAULTS: Readonly<GPTConfig> = Object.freeze({
  vocabSize: 50304,
  blockSize: 1024,
  nLayer: 12,
  nHead: 12,
  nEmbd: 768,
  dropout: 0,
  bias: true,
});

const CONFIG_KEYS = Object.keys(GPT_CONFIG_DEFAULTS) as (keyof GPTConfig)[];

/**
 * Fills a partial config with the defaults and validates it.
 *
 * @param config some or all fields
 * @returns a complete, frozen config
 * @throws {TypeError} for an unknown field or a value of the wrong type
 * @throws {RangeError} for a size that is not a positive integer, an nEmbd that nHead does not
 *   divide, or a dropout outside [0, 1)
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * import { gptConfig } from "./gpt_config.ts";
 * equal(gptConfig({ vocabSize: 65, nEmbd: 64, nHead: 4 }).blockSize, 1024);
 * throws(() => gptConfig({ nEmbd: 64, nHead: 5 }), {
 *   name: "RangeError",
 *   message: "GPT: nEmbd must be a multiple of nHead, got nEmbd 64 and nHead 5",
 * });
 * ```
 */
export function gptConfig(config: Partial<GPTConfig> = {}): Readonly<GPTConfig> {
  const c = { ...GPT_CONFIG_DEFAULTS, ...checkOptions("GPT", config, CONFIG_KEYS) };
  for (const k of ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const) {
    checkNumber("GPT", k, c[k], { integer: true, min: 1 });
  }
  checkNumber("GPT", "dropout", c.dropout, { min: 0, max: 1 });
  if (c.dropout === 1) {
    throw new RangeError(`GPT: dropout must be a number in [0, 1), got ${describe(c.dropout)}`);
  }
  checkBoolean("GPT", "bias", c.bias);
  if (c.nEmbd % c.nHead !== 0) {
    throw new RangeError(
      `GPT: nEmbd must be a multiple of nHead, got nEmbd ${c.nEmbd} and nHead ${c.nHead}`,
    );
  }
  return Object.freeze(c);
}

/** How a preset trains: nanoGPT's `train.py` settings, in JavaScript casing. */
export interface GPTTrainConfig {
  /** Sequences per step (B). */
  batchSize: number;
  /** Optimizer steps. */
  maxIters: number;
  /** The peak learning rate. */
  learningRate: number;
  /** Warm up linearly and decay on a cosine (nanoGPT's `get_lr`); false keeps learningRate. */
  decayLr: boolean;
  /** Steps of linear warmup. */
  warmupIters: number;
  /** The step where the cosine reaches minLr (0: maxIters). */
  lrDecayIters: number;
  /** The learning rate at the end of the decay. */
  minLr: number;
  /** AdamW's β1. */
  beta1: number;
  /** AdamW's β2. */
  beta2: number;
  /** AdamW's decoupled weight decay, on ≥ 2-d parameters only (`configureOptimizers`). */
  weightDecay: number;
  /** Clip the gradients' global norm to this (0: no clipping). */
  gradClip: number;
  /** Steps between train/val evaluations (and checkpoints). */
  evalInterval: number;
  /** Batches averaged per split in an evaluation. */
  evalIters: number;
  /** Steps between progress lines. */
  logInterval: number;
}

/** A preset: the model's shape (vocabSize comes from the data) and how to train it. */
export interface GPTPreset {
  /** What the preset reproduces. */
  description: string;
  /** The model, without vocabSize. */
  model: Readonly<Omit<GPTConfig, "vocabSize">>;
  /** The training settings. */
  train: Readonly<GPTTrainConfig>;
}

/** The preset names. */
export type GPTPresetName = "baby" | "small" | "gpt";

/**
 * The presets. `baby` is nanoGPT's CPU run of `train_shakespeare_char` (README: block 64,
 * batch 12, 4 layers, 4 heads, 128 wide, dropout 0, 2,000 steps, lr 1e-3 warmed up over 100
 * steps and decayed to 1e-4, β2 0.99, weight decay 0.1, clip 1.0, bias false). `small` is the
 * GPT lecture's small model (batch 16, block 32, 4 layers, 4 heads, 64 wide, lr 1e-3, 5,000
 * steps) and `gpt` is `gpt.py`'s (batch 64, block 256, 6 layers, 6 heads, 384 wide, dropout 0.2,
 * lr 3e-4, 5,000 steps); both keep PyTorch's AdamW defaults (betas 0.9/0.999, weight decay 0.01),
 * a constant learning rate and no clipping, as the lecture does. All three run on this library's
 * model, which is nanoGPT's: the lecture's model differs in three places (no bias on q, k, v; a
 * separate lm_head with a bias; ReLU), so its parameter counts differ a little (see `GPT`).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { GPT_PRESETS } from "./gpt_config.ts";
 * equal(GPT_PRESETS.baby.model.blockSize, 64);
 * equal(GPT_PRESETS.gpt.train.batchSize, 64);
 * ```
 */
export const GPT_PRESETS: Readonly<Record<GPTPresetName, GPTPreset>> = freezePresets({
  baby: {
    description: "nanoGPT's CPU 'baby' run of train_shakespeare_char",
    model: { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0, bias: false },
    train: {
      batchSize: 12,
      maxIters: 2000,
      learningRate: 1e-3,
      decayLr: true,
      warmupIters: 100,
      lrDecayIters: 0,
      minLr: 1e-4,
      beta1: 0.9,
      beta2: 0.99,
      weightDecay: 0.1,
      gradClip: 1.0,
      evalInterval: 250,
      evalIters: 20,
      logInterval: 10,
    },
  },
  small: {
    description: "the GPT lecture's small model (gpt-dev's final cell)",
    model: { blockSize: 32, nLayer: 4, nHead: 4, nEmbd: 64, dropout: 0, bias: true },
    train: {
      batchSize: 16,
      maxIters: 5000,
      learningRate: 1e-3,
      decayLr: false,
      warmupIters: 0,
      lrDecayIters: 0,
      minLr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      weightDecay: 0.01,
      gradClip: 0,
      evalInterval: 100,
      evalIters: 200,
      logInterval: 10,
    },
  },
  gpt: {
    description: "ng-video-lecture's gpt.py",
    model: { blockSize: 256, nLayer: 6, nHead: 6, nEmbd: 384, dropout: 0.2, bias: true },
    train: {
      batchSize: 64,
      maxIters: 5000,
      learningRate: 3e-4,
      decayLr: false,
      warmupIters: 0,
      lrDecayIters: 0,
      minLr: 3e-4,
      beta1: 0.9,
      beta2: 0.999,
      weightDecay: 0.01,
      gradClip: 0,
      evalInterval: 500,
      evalIters: 200,
      logInterval: 10,
    },
  },
});

function freezePresets(
  presets: Record<GPTPresetName, GPTPreset>,
): Readonly<Record<GPTPresetName, GPTPreset>> {
  for (const p of Object.values(presets)) [p.model, p.train, p].forEach(Object.freeze);
  return Object.freeze(presets);
}
