/**
 * Kata 03, steps 03.7–03.8: how a fitted model behaves away from its training
 * points — between them (interpolation) and beyond their range
 * (extrapolation) — and the knobs that change it: the activation and weight
 * decay. Replace every `todo(...)` with your code; `deno test katas/03` tells
 * you what to do next. Read katas/03/README.md first.
 *
 * @module
 */

// The parameters below are yours to use; until you do, the linter would flag them.
// deno-lint-ignore-file no-unused-vars

import { todo } from "../_lib/todo.ts";
import { type nn, noGrad, tensor } from "../../mod.ts";
import { type Data, makeData, mse, type Split } from "./data.ts";

/**
 * The mean squared error of `model` on `data`, evaluated without recording a
 * graph.
 *
 * @param model the network
 * @param data the points
 * @returns the mse as a number
 */
export function evaluate(model: nn.Sequential, data: Data): number {
  return todo(
    "03.7",
    "evaluate: mse(model.forward(x), y) under noGrad, as a number",
  );
}

/** Options of {@link generalization}. */
export interface OutsideOptions {
  /** The first point outside the training range (default 2). */
  low?: number;
  /** The last point (default 3). */
  high?: number;
  /** How many evenly spaced points from `low` to `high` (default 50). */
  n?: number;
}

/** The mse of one model on three sets of points. */
export interface Generalization {
  /** On the training points. */
  train: number;
  /** On the held-out points, inside the training range (interpolation). */
  heldOut: number;
  /** On a grid outside the training range, `y = x²` there too (extrapolation). */
  outside: number;
}

/**
 * Evaluates `model` on the training points, on the held-out points, and on
 * `makeData(n, { low, high })` outside the range it was trained on.
 *
 * @param model the network
 * @param split the training and held-out points
 * @param options the outside interval and its number of points
 * @returns the three errors
 */
export function generalization(
  model: nn.Sequential,
  split: Split,
  options: OutsideOptions = {},
): Generalization {
  return todo(
    "03.7",
    "generalization: the mse on train, on heldOut, and on makeData(n, { low, high }) outside",
  );
}

/**
 * The secant slope of the model's function between `a` and `b`:
 * `(f(b) - f(a)) / (b - a)`.
 *
 * @param model the network (one input, one output)
 * @param a the left point
 * @param b the right point
 * @returns the slope
 */
export function slope(model: nn.Sequential, a: number, b: number): number {
  return todo(
    "03.8",
    "slope: (f(b) - f(a)) / (b - a) with f the model",
  );
}

/**
 * The L2 norm of all the model's parameters together, `√(Σ p²)` over every
 * weight and bias.
 *
 * @param model the network
 * @returns the norm
 */
export function parameterNorm(model: nn.Module): number {
  return todo(
    "03.8",
    "parameterNorm: √(Σ p²) over every parameter",
  );
}
