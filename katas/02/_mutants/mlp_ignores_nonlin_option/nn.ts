/**
 * Kata 02 mutant `mlp_ignores_nonlin_option`: a plausible wrong solution that the tests must
 * reject. MLP ignores options.nonlin: hidden layers are always tanh.
 *
 * @module
 */

import { Value, type ValueLike } from "../../../../mod.ts";

/** The activation a neuron applies to `w·x + b`. */
export type Nonlinearity = "tanh" | "relu" | "linear";

/** Options of a {@link Neuron} and a {@link Layer}. */
export interface NeuronOptions {
  /** The activation (default `"tanh"`). */
  nonlin?: Nonlinearity;
  /** Draws each initial weight and bias, uniform in [-1, 1) (default `Math.random`-based). */
  rng?: () => number;
}

/** Options of an {@link MLP}. */
export interface MLPOptions {
  /** The activation of every layer but the last, which is linear (default `"tanh"`). */
  nonlin?: Nonlinearity;
  /** Draws each initial weight and bias, uniform in [-1, 1) (default `Math.random`-based). */
  rng?: () => number;
}

/** Something with parameters whose gradients can be reset. */
export abstract class Module {
  /** Every trainable `Value`, in a fixed order. */
  abstract parameters(): Value[];

  /** Sets the gradient of every parameter to 0 (gradients accumulate otherwise). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

const uniform = () => Math.random() * 2 - 1;

/** One neuron: `act(w·x + b)`. */
export class Neuron extends Module {
  /** One weight per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** The activation. */
  readonly nonlin: Nonlinearity;

  /**
   * Draws `nin` weights, then the bias, from `options.rng`.
   *
   * @param nin the number of inputs
   * @param options the activation and the random source
   */
  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    const { nonlin = "tanh", rng = uniform } = options;
    this.w = Array.from({ length: nin }, () => new Value(rng()));
    this.b = new Value(rng());
    this.nonlin = nonlin;
  }

  /**
   * `act(b + w[0]·x[0] + w[1]·x[1] + …)`.
   *
   * @param x one input per weight
   * @returns the activation
   * @throws {RangeError} when `x` has the wrong length
   */
  forward(x: readonly ValueLike[]): Value {
    if (x.length !== this.w.length) {
      throw new RangeError(
        `Cannot run a Neuron with ${this.w.length} inputs on ${x.length} values`,
      );
    }
    let act = this.b;
    for (let i = 0; i < x.length; i++) act = act.add(this.w[i].mul(x[i]));
    switch (this.nonlin) {
      case "tanh":
        return act.tanh();
      case "relu":
        return act.relu();
      case "linear":
        return act;
      default:
        return this.nonlin satisfies never;
    }
  }

  /** @returns the weights, then the bias */
  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

/** `nout` neurons that read the same inputs. */
export class Layer extends Module {
  /** The neurons, one per output. */
  readonly neurons: Neuron[];

  /**
   * @param nin the number of inputs of each neuron
   * @param nout the number of neurons
   * @param options passed to every neuron
   */
  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, options));
  }

  /**
   * @param x the inputs
   * @returns one output per neuron
   */
  forward(x: readonly ValueLike[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  /** @returns every neuron's parameters, neuron by neuron */
  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

/** A multi-layer perceptron: layers of sizes `nouts`, the last one linear. */
export class MLP extends Module {
  /** The layers, input side first. */
  readonly layers: Layer[];

  /**
   * @param nin the number of inputs
   * @param nouts the size of each layer (at least one)
   * @param options the hidden activation and the random source
   */
  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    const { rng } = options;
    const sizes = [nin, ...nouts];
    this.layers = nouts.map((nout, i) =>
      new Layer(sizes[i], nout, i === nouts.length - 1 ? { rng, nonlin: "linear" } : { rng })
    );
  }

  /**
   * @param x the inputs
   * @returns the last layer's outputs
   */
  forward(x: readonly ValueLike[]): Value[] {
    let out = this.layers[0].forward(x);
    for (let i = 1; i < this.layers.length; i++) out = this.layers[i].forward(out);
    return out;
  }

  /** @returns every layer's parameters, layer by layer */
  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}

/**
 * The lecture's loss: `Σ (pred - y)²`.
 *
 * @param preds one prediction per example
 * @param ys the targets
 * @returns the summed squared error
 */
export function squaredErrorLoss(preds: readonly Value[], ys: readonly number[]): Value {
  let loss = new Value(0);
  for (let i = 0; i < preds.length; i++) loss = loss.add(preds[i].sub(ys[i]).pow(2));
  return loss;
}

/**
 * One step of gradient descent: `p.data -= lr * p.grad` for every parameter.
 *
 * @param params the parameters
 * @param lr the learning rate
 */
export function sgdStep(params: readonly Value[], lr: number): void {
  for (const p of params) p.data -= lr * p.grad;
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** The number of steps (default 20). */
  steps?: number;
  /** The learning rate (default 0.05). */
  lr?: number;
}

/**
 * Trains `model` (its first output) on `xs → ys` with the squared-error loss:
 * forward, zero the grads, backward, SGD step, `steps` times.
 *
 * @param model the network
 * @param xs the inputs
 * @param ys the targets
 * @param options steps and learning rate
 * @returns the loss of each step, before its update
 */
export function fit(
  model: MLP,
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  options: FitOptions = {},
): number[] {
  const { steps = 20, lr = 0.05 } = options;
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    const preds = xs.map((x) => model.forward(x)[0]);
    const loss = squaredErrorLoss(preds, ys);
    model.zeroGrad();
    loss.backward();
    sgdStep(model.parameters(), lr);
    losses.push(loss.data);
  }
  return losses;
}

/**
 * The max-margin (SVM hinge) loss for ±1 labels: `mean(relu(1 - y·score))`.
 *
 * @param scores one score per example
 * @param ys the labels, -1 or +1
 * @returns the mean hinge loss
 */
export function hingeLoss(scores: readonly Value[], ys: readonly number[]): Value {
  let total = new Value(0);
  for (let i = 0; i < scores.length; i++) {
    total = total.add(scores[i].mul(-ys[i]).add(1).relu());
  }
  return total.div(scores.length);
}

/**
 * L2 regularisation: `alpha · Σ p²`.
 *
 * @param params the parameters
 * @param alpha the strength
 * @returns the penalty
 */
export function l2Penalty(params: readonly Value[], alpha: number): Value {
  let total = new Value(0);
  for (const p of params) total = total.add(p.mul(p));
  return total.mul(alpha);
}

/**
 * The fraction of examples whose score has the label's sign (`score > 0` ⇔ `y > 0`).
 *
 * @param scores one score per example
 * @param ys the labels, -1 or +1
 * @returns a number in [0, 1]
 */
export function accuracy(scores: readonly Value[], ys: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i].data > 0 === ys[i] > 0) right++;
  return right / scores.length;
}

/** Options of {@link trainMoons}. */
export interface TrainMoonsOptions {
  /** The number of full-batch steps (default 100). */
  steps?: number;
  /** The L2 strength (default 1e-4). */
  alpha?: number;
}

/** What one training step saw, before its update. */
export interface StepRecord {
  /** Hinge loss plus L2 penalty. */
  loss: number;
  /** The training accuracy, in [0, 1]. */
  accuracy: number;
}

/**
 * micrograd's moons demo: full-batch SGD on `hingeLoss + l2Penalty`, with the
 * learning rate decaying linearly, `lr = 1 - 0.9 · k / steps` at step `k`.
 *
 * @param model the network (its first output is the score)
 * @param X the points
 * @param y their ±1 labels
 * @param options steps and L2 strength
 * @returns the loss and accuracy of every step, before its update
 */
export function trainMoons(
  model: MLP,
  X: readonly (readonly number[])[],
  y: readonly number[],
  options: TrainMoonsOptions = {},
): StepRecord[] {
  const { steps = 100, alpha = 1e-4 } = options;
  const history: StepRecord[] = [];
  for (let k = 0; k < steps; k++) {
    const scores = X.map((x) => model.forward(x)[0]);
    const loss = hingeLoss(scores, y).add(l2Penalty(model.parameters(), alpha));
    model.zeroGrad();
    loss.backward();
    sgdStep(model.parameters(), 1 - (0.9 * k) / steps);
    history.push({ loss: loss.data, accuracy: accuracy(scores, y) });
  }
  return history;
}
