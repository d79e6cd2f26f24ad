/**
 * Kata 03 reference solution, steps 03.3–03.6: three ways to fit a model with
 * the same budget of loss evaluations — random search, gradient descent and
 * Adam, each update written by hand — and a fair comparison of the three.
 *
 * @module
 */

import { Generator, type nn, noGrad, randn, type Tensor, zerosLike } from "../../mod.ts";
import { type Data, datasetLoss, makeModel, type ModelOptions } from "./data.ts";

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions {
  /** The budget: how many times the loss is evaluated (the first is the starting point). */
  steps: number;
  /** The standard deviation of each proposed weight change (default 0.02). */
  scale?: number;
  /** The source of the proposals. */
  generator: Generator;
}

/**
 * Random search: propose `p + scale·randn(p.shape)` for every parameter at
 * once, keep the change when the loss goes down, undo it otherwise.
 *
 * @param model the network, changed in place
 * @param loss evaluates the loss of the model's current weights
 * @param options budget, proposal size and generator
 * @returns after each evaluation, the loss of the weights kept so far
 */
export function randomSearch(
  model: nn.Module,
  loss: () => Tensor,
  options: RandomSearchOptions,
): number[] {
  const { steps, generator } = options;
  const scale = options.scale ?? 0.02;
  const params = model.parameters();
  let best = noGrad(() => loss().itemSync());
  const history = [best];
  for (let k = 1; k < steps; k++) {
    const saved = params.map((p) => p.clone());
    noGrad(() => {
      for (const p of params) p.add_(randn(p.shape, { generator }).mul(scale));
    });
    const l = noGrad(() => loss().itemSync());
    if (l < best) {
      best = l;
    } else {
      noGrad(() => params.forEach((p, i) => p.copy_(saved[i])));
    }
    history.push(best);
  }
  return history;
}

/** Options of {@link gradientDescent}. */
export interface GradientDescentOptions {
  /** The budget: how many times the loss (and its gradient) is evaluated. */
  steps: number;
  /** The learning rate (default 0.2). */
  lr?: number;
  /** L2 weight decay: `weightDecay·p` is added to each gradient (default 0). */
  weightDecay?: number;
}

/**
 * Gradient descent: zero the grads, evaluate the loss, backward, then
 * `p -= lr·(grad + weightDecay·p)` for every parameter, under `noGrad`.
 *
 * @param model the network, changed in place
 * @param loss evaluates the loss of the model's current weights
 * @param options budget, learning rate and weight decay
 * @returns the loss of each step, before its update
 */
export function gradientDescent(
  model: nn.Module,
  loss: () => Tensor,
  options: GradientDescentOptions,
): number[] {
  const lr = options.lr ?? 0.2;
  const wd = options.weightDecay ?? 0;
  const params = model.parameters();
  const history: number[] = [];
  for (let k = 0; k < options.steps; k++) {
    model.zeroGrad();
    const l = loss();
    l.backward();
    noGrad(() => {
      for (const p of params) {
        const g = wd === 0 ? p.grad! : p.grad!.add(p.mul(wd));
        p.sub_(g.mul(lr));
      }
    });
    history.push(l.itemSync());
  }
  return history;
}

/** Options of {@link adam}. */
export interface AdamOptions {
  /** The budget: how many times the loss (and its gradient) is evaluated. */
  steps: number;
  /** The learning rate (default 0.01). */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 weight decay: `weightDecay·p` is added to each gradient (default 0). */
  weightDecay?: number;
}

/**
 * Adam, written out: with `g = grad + weightDecay·p` at step `t = 1, 2, …`,
 * `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, `m̂ = m/(1-β1^t)`,
 * `v̂ = v/(1-β2^t)`, `p -= lr·m̂/(√v̂ + eps)`.
 *
 * @param model the network, changed in place
 * @param loss evaluates the loss of the model's current weights
 * @param options budget, learning rate, betas, eps and weight decay
 * @returns the loss of each step, before its update
 */
export function adam(model: nn.Module, loss: () => Tensor, options: AdamOptions): number[] {
  const lr = options.lr ?? 0.01;
  const [beta1, beta2] = options.betas ?? [0.9, 0.999];
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0;
  const params = model.parameters();
  const m = params.map((p) => zerosLike(p));
  const v = params.map((p) => zerosLike(p));
  const history: number[] = [];
  for (let t = 1; t <= options.steps; t++) {
    model.zeroGrad();
    const l = loss();
    l.backward();
    noGrad(() => {
      params.forEach((p, i) => {
        const g = wd === 0 ? p.grad! : p.grad!.add(p.mul(wd));
        m[i] = m[i].mul(beta1).add(g.mul(1 - beta1));
        v[i] = v[i].mul(beta2).add(g.mul(g).mul(1 - beta2));
        const mHat = m[i].div(1 - beta1 ** t);
        const vHat = v[i].div(1 - beta2 ** t);
        p.sub_(mHat.div(vHat.sqrt().add(eps)).mul(lr));
      });
    });
    history.push(l.itemSync());
  }
  return history;
}

/** The methods {@link compareMethods} runs. */
export type Method = "randomSearch" | "gradientDescent" | "adam";

/** What one method did with the budget. */
export interface MethodResult {
  /** The trained model. */
  model: nn.Sequential;
  /** What the method returned: one loss per evaluation. */
  history: number[];
  /** The training loss of the trained model, evaluated after the budget is spent. */
  final: number;
}

/** Options of {@link compareMethods}. */
export interface CompareOptions {
  /** The budget of loss evaluations, the same for every method (default 300). */
  steps?: number;
  /** Seeds the models' initial weights (all three the same) and, plus 1, random search (default 0). */
  seed?: number;
  /** The activation of the models (default `"tanh"`). */
  activation?: ModelOptions["activation"];
}

/**
 * Fits three copies of the same model (same seed, same initial weights) to
 * `train`, one per method, each with its default hyper-parameters and the same
 * budget of loss evaluations.
 *
 * @param train the training points
 * @param options budget, seed and activation
 * @returns each method's model, history and final training loss
 */
export function compareMethods(
  train: Data,
  options: CompareOptions = {},
): Record<Method, MethodResult> {
  const steps = options.steps ?? 300;
  const seed = options.seed ?? 0;
  const run = (fit: (model: nn.Sequential, loss: () => Tensor) => number[]): MethodResult => {
    const model = makeModel({ activation: options.activation, generator: new Generator(seed) });
    const loss = datasetLoss(model, train);
    const history = fit(model, loss);
    return { model, history, final: noGrad(() => loss().itemSync()) };
  };
  return {
    randomSearch: run((model, loss) =>
      randomSearch(model, loss, { steps, generator: new Generator(seed + 1) })
    ),
    gradientDescent: run((model, loss) => gradientDescent(model, loss, { steps })),
    adam: run((model, loss) => adam(model, loss, { steps })),
  };
}
