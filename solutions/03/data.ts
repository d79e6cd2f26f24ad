/**
 * Kata 03 reference solution, steps 03.1–03.2: the data (y = x² on a grid, a
 * seeded train/held-out split), the model (a small MLP from `nn`) and the
 * mean squared error.
 *
 * @module
 */

import { Generator, linspace, nn, ShapeError, type Tensor, tensor } from "../../mod.ts";

/** Inputs and targets, each of shape `(n, 1)`: one example per row. */
export interface Data {
  /** The inputs, `(n, 1)`. */
  x: Tensor;
  /** The targets `x²`, `(n, 1)`. */
  y: Tensor;
}

/** Options of {@link makeData}. */
export interface DataOptions {
  /** The first grid point (default -1). */
  low?: number;
  /** The last grid point (default 1). */
  high?: number;
}

/**
 * `n` evenly spaced inputs from `low` to `high` (both included) and their
 * targets `y = x²`.
 *
 * @param n the number of points
 * @param options the interval (default [-1, 1])
 * @returns x and y, each `(n, 1)`
 */
export function makeData(n: number, options: DataOptions = {}): Data {
  const x = linspace(options.low ?? -1, options.high ?? 1, n).reshape(n, 1); // (n,) -> (n, 1)
  return { x, y: x.mul(x) };
}

/** A training set and the points held out of it. */
export interface Split {
  /** The points the model learns from. */
  train: Data;
  /** Points inside the same range that training never sees. */
  heldOut: Data;
}

/**
 * Shuffles the rows with `generator.randperm(n)` and holds out the first
 * `nHeldOut` of the permutation; the rest, in permutation order, is the
 * training set. Inputs and targets move together.
 *
 * @param data the points
 * @param nHeldOut how many to hold out
 * @param generator the source of the permutation
 * @returns the training set and the held-out set
 */
export function splitData(data: Data, nHeldOut: number, generator: Generator): Split {
  const n = data.x.shape[0];
  const perm = Array.from(generator.randperm(n));
  const take = (idx: number[]): Data => {
    const i = tensor(idx, { dtype: "int32" });
    return { x: data.x.indexSelect(0, i), y: data.y.indexSelect(0, i) };
  };
  return { heldOut: take(perm.slice(0, nHeldOut)), train: take(perm.slice(nHeldOut)) };
}

/** The nonlinearity between the layers. */
export type Activation = "tanh" | "relu";

/** Options of {@link makeModel}. */
export interface ModelOptions {
  /** The nonlinearity after each hidden layer (default `"tanh"`). */
  activation?: Activation;
  /** The width of both hidden layers (default 16). */
  hidden?: number;
  /** The generator the layers draw their initial weights from (default `new Generator(0)`). */
  generator?: Generator;
}

/**
 * The MLP 1 → hidden → hidden → 1: `Linear, act, Linear, act, Linear`, the
 * layers created input side first from one generator.
 *
 * @param options activation, width and generator
 * @returns the model; 321 parameters at the default width 16
 */
export function makeModel(options: ModelOptions = {}): nn.Sequential {
  const h = options.hidden ?? 16;
  const generator = options.generator ?? new Generator(0);
  const act = () => (options.activation ?? "tanh") === "relu" ? new nn.ReLU() : new nn.Tanh();
  return new nn.Sequential(
    new nn.Linear(1, h, { generator }), // (n, 1) -> (n, h)
    act(),
    new nn.Linear(h, h, { generator }), // (n, h) -> (n, h)
    act(),
    new nn.Linear(h, 1, { generator }), // (n, h) -> (n, 1)
  );
}

/**
 * The mean squared error `mean((pred - y)²)`, a scalar tensor.
 *
 * @param pred the predictions
 * @param y the targets, the same shape
 * @returns the loss, shape `()`
 * @throws {ShapeError} when the shapes differ (they would broadcast to a wrong loss)
 */
export function mse(pred: Tensor, y: Tensor): Tensor {
  if (pred.shape.length !== y.shape.length || pred.shape.some((d, i) => d !== y.shape[i])) {
    throw new ShapeError(
      `Cannot compute mse: prediction shape [${pred.shape.join(", ")}] differs from ` +
        `target shape [${y.shape.join(", ")}]`,
    );
  }
  const diff = pred.sub(y);
  return diff.mul(diff).mean();
}

/**
 * A loss function the optimizers can call again and again: each call runs the
 * model on `data.x` with its current weights and returns the mse.
 *
 * @param model the network
 * @param data the points to fit
 * @returns `() => mse(model(x), y)`
 */
export function datasetLoss(model: nn.Sequential, data: Data): () => Tensor {
  return () => mse(model.forward(data.x), data.y);
}
