/**
 * Kata 06 reference, steps 06.6–06.8: the lecture's deep network (notebook
 * cells 13–19) — five `Linear → BatchNorm1d → Tanh` blocks and a BatchNorm'd
 * output — and the diagnostics the lecture reads off it: activation and
 * gradient statistics per layer, the grad:data ratio of each weight, and the
 * update:data ratio of every parameter at every step.
 *
 * @module
 */

import { F, type Generator, index, noGrad, randint, randn, type Tensor } from "../../mod.ts";
import { saturation } from "./init.ts";
import { BatchNorm1d, type Layer, Linear, Tanh } from "./modules.ts";

/** The sizes of the deep network (the lecture's by default). */
export interface DeepConfig {
  /** Symbols in the vocabulary (27). */
  vocabSize?: number;
  /** Characters of context (3). */
  blockSize?: number;
  /** Dimensions of a character's embedding (10). */
  nEmbd?: number;
  /** Neurons in each hidden layer (100). */
  nHidden?: number;
  /** Hidden `Linear → BatchNorm1d → Tanh` blocks (5). */
  depth?: number;
}

/** The embedding table and the layers. */
export interface DeepNet {
  /** Embedding table `(vocabSize, nEmbd)`. */
  C: Tensor;
  /** `depth` × [Linear (no bias), BatchNorm1d, Tanh], then Linear (no bias), BatchNorm1d. */
  layers: Layer[];
}

/**
 * The notebook's cell 13: `C`, then the layers (each Linear drawing its weight
 * in turn, none with a bias), the last BatchNorm's gamma scaled by 0.1 so the
 * first predictions are unsure; every parameter requires grad.
 *
 * @param g the generator
 * @param config the sizes
 * @returns the network
 */
export function deepNetwork(g: Generator, config: DeepConfig = {}): DeepNet {
  const { vocabSize = 27, blockSize = 3, nEmbd = 10, nHidden = 100, depth = 5 } = config;
  const C = randn([vocabSize, nEmbd], { generator: g });
  const layers: Layer[] = [];
  for (let d = 0; d < depth; d++) {
    const fanIn = d === 0 ? nEmbd * blockSize : nHidden;
    layers.push(
      new Linear(fanIn, nHidden, { bias: false, generator: g }),
      new BatchNorm1d(nHidden),
      new Tanh(),
    );
  }
  const last = new BatchNorm1d(vocabSize);
  layers.push(
    new Linear(depth === 0 ? nEmbd * blockSize : nHidden, vocabSize, {
      bias: false,
      generator: g,
    }),
    last,
  );
  noGrad(() => last.gamma.mul_(0.1));
  const net = { C, layers };
  for (const p of deepParameters(net)) p.requiresGrad = true;
  return net;
}

/**
 * @param net the network
 * @returns `[C, ...each layer's parameters]` (47,024 numbers in the lecture's network)
 */
export function deepParameters(net: DeepNet): Tensor[] {
  return [net.C, ...net.layers.flatMap((l) => l.parameters())];
}

/**
 * Puts every BatchNorm1d into training (batch statistics) or evaluation
 * (running statistics) mode.
 *
 * @param net the network
 * @param training the mode
 */
export function setTraining(net: DeepNet, training: boolean): void {
  for (const l of net.layers) if (l instanceof BatchNorm1d) l.training = training;
}

/**
 * `x = C[X].view(n, -1)`, then every layer in turn.
 *
 * @param net the network
 * @param X int32 contexts `(n, blockSize)`
 * @returns the logits `(n, vocabSize)`
 */
export function deepForward(net: DeepNet, X: Tensor): Tensor {
  const emb = index(net.C, X); // (n, blockSize, nEmbd)
  let x = emb.view(emb.shape[0], -1); // (n, blockSize · nEmbd)
  for (const layer of net.layers) x = layer.forward(x);
  return x;
}

/**
 * The notebook's `split_loss` after `layer.training = False`: the loss with
 * the running statistics, without a graph; the modes are restored after.
 *
 * @param net the network
 * @param X int32 contexts
 * @param Y int32 targets
 * @returns the mean cross-entropy
 */
export function deepSplitLoss(net: DeepNet, X: Tensor, Y: Tensor): number {
  const modes = net.layers.map((l) => l instanceof BatchNorm1d && l.training);
  setTraining(net, false);
  try {
    return noGrad(() => F.crossEntropy(deepForward(net, X), Y).itemSync());
  } finally {
    net.layers.forEach((l, i) => {
      if (l instanceof BatchNorm1d) l.training = modes[i];
    });
  }
}

/** The statistics of one tanh layer's output. */
export interface ActivationStats {
  /** The layer's index in `net.layers`. */
  layer: number;
  /** The mean. */
  mean: number;
  /** The std. */
  std: number;
  /** The percentage of outputs with |t| > 0.97. */
  saturated: number;
}

/** The statistics of the gradient of one tanh layer's output. */
export interface GradientStats {
  /** The layer's index in `net.layers`. */
  layer: number;
  /** The mean of `out.grad`. */
  mean: number;
  /** The std of `out.grad`. */
  std: number;
}

/** The statistics of one weight's gradient. */
export interface WeightStats {
  /** The weight's index in the parameter list. */
  index: number;
  /** The weight's shape. */
  shape: number[];
  /** The mean of its gradient. */
  mean: number;
  /** The std of its gradient. */
  std: number;
  /** `grad.std() / weight.std()`. */
  gradToData: number;
}

/** The Tanh layers the lecture plots: all but the output layer's. */
function tanhLayers(net: DeepNet): [number, Tanh][] {
  return net.layers.slice(0, -1).flatMap((l, i) =>
    l instanceof Tanh ? [[i, l] as [number, Tanh]] : []
  );
}

/**
 * The notebook's cell 15: mean, std and saturation (|t| > 0.97, in percent)
 * of each tanh layer's last output.
 *
 * @param net the network, after a forward pass
 * @returns one entry per tanh layer
 */
export function activationStats(net: DeepNet): ActivationStats[] {
  return tanhLayers(net).map(([i, l]) => {
    const t = l.out!;
    return {
      layer: i,
      mean: t.mean().itemSync(),
      std: t.std().itemSync(),
      saturated: saturation(t, 0.97) * 100,
    };
  });
}

/**
 * The notebook's cell 16: mean and std of the gradient of each tanh layer's
 * output (kept by `retainGrad()` during training).
 *
 * @param net the network, after a backward pass with the outputs' grads retained
 * @returns one entry per tanh layer
 * @throws {Error} when a layer's `out.grad` was not retained
 */
export function gradientStats(net: DeepNet): GradientStats[] {
  return tanhLayers(net).map(([i, l]) => {
    const t = l.out?.grad;
    if (t == null) throw new Error(`layer ${i}: out.grad is null; call out.retainGrad()`);
    return { layer: i, mean: t.mean().itemSync(), std: t.std().itemSync() };
  });
}

/**
 * The notebook's cell 17: for each 2-d parameter (the weights and `C`), the
 * mean and std of its gradient and the grad:data ratio `grad.std() / p.std()`.
 *
 * @param params the parameters, after a backward pass
 * @returns one entry per 2-d parameter
 */
export function weightStats(params: Tensor[]): WeightStats[] {
  return params.flatMap((p, i) => {
    if (p.ndim !== 2 || p.grad === null) return [];
    const g = p.grad;
    const std = g.std().itemSync();
    return [{
      index: i,
      shape: [...p.shape],
      mean: g.mean().itemSync(),
      std,
      gradToData: std / p.std().itemSync(),
    }];
  });
}

/**
 * The update:data ratio of each parameter, `log10((lr · grad).std() / p.std())`
 * (about −3 is healthy); `Infinity` where the data's std is 0.
 *
 * @param params the parameters, with their gradients
 * @param lr the learning rate of the step
 * @returns one number per parameter
 */
export function updateRatios(params: Tensor[], lr: number): number[] {
  return noGrad(() =>
    params.map((p) => Math.log10(p.grad!.mul(lr).std().itemSync() / p.std().itemSync()))
  );
}

/** Options of {@link trainDeep}. */
export interface DeepTrainOptions {
  /** The number of steps. */
  steps: number;
  /** Examples per minibatch (32). */
  batchSize?: number;
  /** The learning rate of each step (0.1, then 0.01 from step 150,000). */
  lr?: (step: number) => number;
  /** Called after every step with its minibatch loss. */
  onStep?: (step: number, loss: number) => void;
}

/** What {@link trainDeep} records. */
export interface DeepTrainResult {
  /** Each step's minibatch loss. */
  losses: Float32Array;
  /** Each step's {@link updateRatios}, measured after its update. */
  ud: number[][];
}

/**
 * The notebook's cell 14: minibatch SGD on the deep network, retaining the
 * gradient of every layer's output for the diagnostics and recording the
 * update:data ratios after each update.
 *
 * @param net the network (trained in place)
 * @param X int32 training contexts
 * @param Y int32 training targets
 * @param g the generator (the one that drew the network)
 * @param options steps, batch size, learning rate, callback
 * @returns the losses and the update ratios
 */
export function trainDeep(
  net: DeepNet,
  X: Tensor,
  Y: Tensor,
  g: Generator,
  options: DeepTrainOptions,
): DeepTrainResult {
  const { steps, batchSize = 32, lr = (i: number) => (i < 150_000 ? 0.1 : 0.01) } = options;
  const params = deepParameters(net);
  const losses = new Float32Array(steps);
  const ud: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const ix = randint(0, X.shape[0], [batchSize], { generator: g });
    const loss = F.crossEntropy(deepForward(net, index(X, ix)), index(Y, ix));
    for (const l of net.layers) l.out!.retainGrad();
    for (const p of params) p.grad = null;
    loss.backward();
    const rate = lr(i);
    noGrad(() => {
      for (const p of params) p.add_(p.grad!, { alpha: -rate });
    });
    losses[i] = loss.itemSync();
    ud.push(updateRatios(params, rate));
    options.onStep?.(i, losses[i]);
  }
  return { losses, ud };
}
