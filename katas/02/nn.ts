/**
 * Kata 02: a neural network built from scalar `Value`s, trained by gradient
 * descent. Replace every `todo(...)` with your code; `deno test katas/02` tells
 * you what to do next. Read katas/02/README.md first.
 *
 * `Value` comes from the library (the reference `Value` of kata 01):
 * `add sub mul div pow neg exp log tanh relu sigmoid`, numbers accepted as
 * operands, `backward()`, and the fields `data` and `grad`.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { Value, type ValueLike } from "../../mod.ts";

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
    todo("02.3", "Module.zeroGrad: set p.grad = 0 for every parameter");
  }
}

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
    todo("02.1", "Neuron constructor: nin weights, then a bias, each new Value(rng())");
  }

  /**
   * `act(b + w[0]·x[0] + w[1]·x[1] + …)`.
   *
   * @param x one input per weight
   * @returns the activation
   * @throws {RangeError} when `x` has the wrong length
   */
  forward(x: readonly ValueLike[]): Value {
    return todo("02.1", "Neuron.forward: act(b + Σ w[i]·x[i])");
  }

  /** @returns the weights, then the bias */
  parameters(): Value[] {
    return todo("02.1", "Neuron.parameters: the weights, then the bias");
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
    todo("02.2", "Layer constructor: nout neurons of nin inputs each");
  }

  /**
   * @param x the inputs
   * @returns one output per neuron
   */
  forward(x: readonly ValueLike[]): Value[] {
    return todo("02.2", "Layer.forward: every neuron on the same inputs");
  }

  /** @returns every neuron's parameters, neuron by neuron */
  parameters(): Value[] {
    return todo("02.2", "Layer.parameters: every neuron's parameters, in order");
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
    todo("02.3", "MLP constructor: layers nin → nouts[0] → …, the last one linear");
  }

  /**
   * @param x the inputs
   * @returns the last layer's outputs
   */
  forward(x: readonly ValueLike[]): Value[] {
    return todo("02.3", "MLP.forward: each layer's outputs are the next one's inputs");
  }

  /** @returns every layer's parameters, layer by layer */
  parameters(): Value[] {
    return todo("02.3", "MLP.parameters: every layer's parameters, in order");
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
  return todo("02.4", "squaredErrorLoss: Σ (pred - y)²");
}

/**
 * One step of gradient descent: `p.data -= lr * p.grad` for every parameter.
 *
 * @param params the parameters
 * @param lr the learning rate
 */
export function sgdStep(params: readonly Value[], lr: number): void {
  todo("02.4", "sgdStep: move every parameter against its gradient");
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
  return todo("02.4", "fit: forward, loss, zeroGrad, backward, sgdStep — steps times");
}

/**
 * The max-margin (SVM hinge) loss for ±1 labels: `mean(relu(1 - y·score))`.
 *
 * @param scores one score per example
 * @param ys the labels, -1 or +1
 * @returns the mean hinge loss
 */
export function hingeLoss(scores: readonly Value[], ys: readonly number[]): Value {
  return todo("02.5", "hingeLoss: mean(relu(1 - y·score))");
}

/**
 * L2 regularisation: `alpha · Σ p²`.
 *
 * @param params the parameters
 * @param alpha the strength
 * @returns the penalty
 */
export function l2Penalty(params: readonly Value[], alpha: number): Value {
  return todo("02.5", "l2Penalty: alpha · Σ p²");
}

/**
 * The fraction of examples whose score has the label's sign (`score > 0` ⇔ `y > 0`).
 *
 * @param scores one score per example
 * @param ys the labels, -1 or +1
 * @returns a number in [0, 1]
 */
export function accuracy(scores: readonly Value[], ys: readonly number[]): number {
  return todo("02.5", "accuracy: the fraction of scores whose sign matches the label");
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
  return todo("02.5", "trainMoons: hinge + L2 loss, full-batch SGD, lr = 1 - 0.9·k/steps");
}
