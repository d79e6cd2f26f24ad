/**
 * Kata 06 reference, steps 06.1–06.3: the makemore MLP at initialisation —
 * the loss it should start at, the loss it does start at, tanh saturation, and
 * the Kaiming init that fixes both without hand-tuned numbers.
 *
 * @module
 */

import {
  booleanImage,
  F,
  type Figure,
  type Generator,
  index,
  randn,
  type Tensor,
} from "../../mod.ts";

/** The sizes of the MLP (the lecture's by default). */
export interface MlpConfig {
  /** Symbols in the vocabulary (27). */
  vocabSize?: number;
  /** Characters of context (3). */
  blockSize?: number;
  /** Dimensions of a character's embedding (10). */
  nEmbd?: number;
  /** Neurons in the tanh layer (200). */
  nHidden?: number;
}

/** Multipliers applied to the drawn parameters (1 when absent): `W1 = randn(...) * W1`. */
export interface InitScales {
  /** Multiplier of the hidden weights. */
  W1?: number;
  /** Multiplier of the hidden bias. */
  b1?: number;
  /** Multiplier of the output weights. */
  W2?: number;
  /** Multiplier of the output bias. */
  b2?: number;
}

/** The parameters of the part-2 MLP, raw tensors as in the lecture. */
export interface MlpParams {
  /** Embedding table `(vocabSize, nEmbd)`. */
  C: Tensor;
  /** Hidden weights `(blockSize · nEmbd, nHidden)`. */
  W1: Tensor;
  /** Hidden bias `(nHidden)`. */
  b1: Tensor;
  /** Output weights `(nHidden, vocabSize)`. */
  W2: Tensor;
  /** Output bias `(vocabSize)`. */
  b2: Tensor;
}

/** What the forward pass computes on the way. */
export interface MlpActivations {
  /** The hidden layer before tanh, `embcat @ W1 + b1`, `(n, nHidden)`. */
  hpreact: Tensor;
  /** The hidden layer, `tanh(hpreact)`. */
  h: Tensor;
  /** The output, `h @ W2 + b2`, `(n, vocabSize)`. */
  logits: Tensor;
}

/** The stages of the lecture's init, in the order the video fixes them. */
export type InitStage = "untuned" | "softmax" | "tanh" | "kaiming";

/**
 * The loss of a model that knows nothing: every character equally likely,
 * `-ln(1 / vocabSize)`.
 *
 * @param vocabSize the number of symbols (27)
 * @returns 3.2958 for 27
 */
export function expectedInitialLoss(vocabSize = 27): number {
  return -Math.log(1 / vocabSize);
}

/**
 * Draws `C, W1, b1, W2, b2` with `randn(..., generator=g)` in that order, as
 * part 2 does, multiplies each by its scale, and makes each require grad.
 *
 * @param g the generator
 * @param scales the multipliers (1 by default: the untuned MLP)
 * @param config the sizes
 * @returns the parameters
 */
export function initMlp(g: Generator, scales: InitScales = {}, config: MlpConfig = {}): MlpParams {
  const { vocabSize = 27, blockSize = 3, nEmbd = 10, nHidden = 200 } = config;
  const C = randn([vocabSize, nEmbd], { generator: g });
  const W1 = randn([blockSize * nEmbd, nHidden], { generator: g }).mul(scales.W1 ?? 1);
  const b1 = randn(nHidden, { generator: g }).mul(scales.b1 ?? 1);
  const W2 = randn([nHidden, vocabSize], { generator: g }).mul(scales.W2 ?? 1);
  const b2 = randn(vocabSize, { generator: g }).mul(scales.b2 ?? 1);
  for (const p of [C, W1, b1, W2, b2]) p.requiresGrad = true;
  return { C, W1, b1, W2, b2 };
}

/**
 * The forward pass, keeping what the lecture looks at:
 * `hpreact = C[X].view(n, -1) @ W1 + b1`, `h = tanh(hpreact)`, `logits = h @ W2 + b2`.
 *
 * @param p the parameters
 * @param X int32 contexts `(n, blockSize)`
 * @returns hpreact, h and logits
 */
export function mlpForward(p: MlpParams, X: Tensor): MlpActivations {
  const emb = index(p.C, X); // (n, blockSize, nEmbd)
  const embcat = emb.view(emb.shape[0], -1); // (n, blockSize · nEmbd)
  const hpreact = embcat.matmul(p.W1).add(p.b1); // (n, nHidden)
  const h = hpreact.tanh();
  const logits = h.matmul(p.W2).add(p.b2); // (n, vocabSize)
  return { hpreact, h, logits };
}

/**
 * The mean cross-entropy of the model on `(X, Y)`.
 *
 * @param p the parameters
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns a scalar tensor
 */
export function mlpLoss(p: MlpParams, X: Tensor, Y: Tensor): Tensor {
  return F.crossEntropy(mlpForward(p, X).logits, Y);
}

/**
 * The lecture's multipliers at each stage of the video:
 * `untuned` all 1; `softmax` the output layer scaled down (`W2 * 0.01`,
 * `b2 * 0`) so the softmax starts out unsure; `tanh` also `W1 * 0.2`,
 * `b1 * 0.01` so the tanh starts out unsaturated; `kaiming` the same with
 * `W1 * kaimingStd([30, 200])` instead of the hand-picked 0.2.
 *
 * @param stage the stage
 * @returns the multipliers for {@link initMlp}
 */
export function lectureScales(stage: InitStage): InitScales {
  switch (stage) {
    case "untuned":
      return {};
    case "softmax":
      return { W2: 0.01, b2: 0 };
    case "tanh":
      return { W1: 0.2, b1: 0.01, W2: 0.01, b2: 0 };
    case "kaiming":
      return { W1: kaimingStd([30, 200]), b1: 0.01, W2: 0.01, b2: 0 };
    default:
      stage satisfies never;
      throw new RangeError(`lectureScales: unknown stage ${stage}`);
  }
}

/**
 * Where the tanh is saturated: `|t| > threshold` (the lecture's
 * `h.abs() > 0.99`), where its gradient `1 - t²` all but vanishes.
 *
 * @param t activations
 * @param threshold the cut (0.99)
 * @returns a bool tensor of t's shape
 */
export function saturationMask(t: Tensor, threshold = 0.99): Tensor {
  return t.abs().gt(threshold);
}

/**
 * The fraction of saturated activations, `(t.abs() > threshold).float().mean()`.
 *
 * @param t activations
 * @param threshold the cut (0.99)
 * @returns a number in [0, 1]
 */
export function saturation(t: Tensor, threshold = 0.99): number {
  return saturationMask(t, threshold).to("float32").mean().itemSync();
}

/**
 * Dead neurons: the columns of `h` saturated in every row of the batch — a
 * neuron that no example moves, so no gradient ever reaches its weights.
 *
 * @param h activations `(n, nHidden)`
 * @param threshold the cut (0.99)
 * @returns the column indices, ascending
 */
export function deadNeurons(h: Tensor, threshold = 0.99): number[] {
  const [rows, cols] = h.shape;
  const counts = saturationMask(h, threshold).to("float32").sum(0).dataSync();
  const dead: number[] = [];
  for (let j = 0; j < cols; j++) if (counts[j] === rows) dead.push(j);
  return dead;
}

/**
 * The lecture's saturation figure, `plt.imshow(h.abs() > 0.99, cmap="gray")`:
 * one pixel per activation, white where saturated.
 *
 * @param h activations `(n, nHidden)`
 * @param threshold the cut (0.99)
 * @returns the figure (`.save("saturation.svg")`)
 */
export function saturationImage(h: Tensor, threshold = 0.99): Figure {
  return booleanImage({
    values: saturationMask(h, threshold),
    title: `|h| > ${threshold} (white: saturated)`,
    xLabel: "neuron",
    yLabel: "example",
  });
}

/** The nonlinearities {@link kaimingStd} knows, with torch's gains. */
export type Nonlinearity = "tanh" | "relu" | "linear";

/**
 * The std of Kaiming (He) init for a weight used as `x @ W`, i.e. of shape
 * `(fanIn, fanOut)` as the lecture lays it out: `gain / sqrt(fanIn)` with
 * torch's gains, tanh 5/3, relu √2, linear 1 (`torch.nn.init.kaiming_normal_`,
 * mode "fan_in").
 *
 * @param shape `[fanIn, fanOut]`
 * @param nonlinearity what follows the layer ("tanh")
 * @returns the std to multiply `randn` by
 */
export function kaimingStd(
  shape: readonly [number, number],
  nonlinearity: Nonlinearity = "tanh",
): number {
  const gain = nonlinearity === "tanh" ? 5 / 3 : nonlinearity === "relu" ? Math.SQRT2 : 1;
  return gain / Math.sqrt(shape[0]);
}
