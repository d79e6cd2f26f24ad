/**
 * Weight initialisation in place (`torch.nn.init`): each helper draws from a
 * {@linkcode Generator} exactly as PyTorch's CPU generator does, so after
 * `torch.manual_seed(s)` and `new Generator(s)` the same calls give the same bits.
 *
 * @module
 */

import { noGrad } from "../autograd.ts";
import { formatShape, ShapeError } from "../errors.ts";
import { fromTyped } from "../ops/creation.ts";
import { defaultGenerator } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import {
  checkInstance,
  checkNumber,
  checkOneOf,
  checkOptions,
  checkScalar,
  checkTensor,
} from "../validate.ts";

/** A nonlinearity {@linkcode calculateGain} knows. */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

/** Options shared by the random initialisers. */
export interface InitOptions {
  /** The generator to draw from (default: the process-wide one). */
  generator?: Generator;
}

/** Options of {@linkcode kaimingUniform_} and {@linkcode kaimingNormal_}. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of leaky_relu (default 0; `Linear` uses √5). */
  a?: number;
  /** Preserve the variance of the forward pass ("fan_in", default) or the backward. */
  mode?: "fan_in" | "fan_out";
  /** The nonlinearity that follows (default "leaky_relu", as PyTorch). */
  nonlinearity?: Nonlinearity;
}

const NONLINEARITIES: readonly Nonlinearity[] = [
  "linear",
  "conv1d",
  "conv2d",
  "sigmoid",
  "tanh",
  "relu",
  "leaky_relu",
  "selu",
];

/** Checks an initialiser's tensor and options; returns the options and the generator. */
function initArgs<O extends InitOptions>(
  op: string,
  t: unknown,
  opts: O,
  allowed: readonly string[],
): [Partial<O>, Generator] {
  checkTensor(op, "tensor", t);
  const o = checkOptions(op, opts, allowed);
  if (o.generator !== undefined) {
    checkInstance(op, "generator", o.generator, Generator, "a Generator");
  }
  for (const k of ["low", "high", "mean", "std", "a"] as const) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) checkNumber(op, k, v, { min: k === "std" ? 0 : undefined });
  }
  return [o, o.generator ?? defaultGenerator()];
}

function fill(t: Tensor, values: Float32Array): Tensor {
  noGrad(() => t.copy_(fromTyped(values, t.shape.slice(), t.device)));
  return t;
}

/**
 * The recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`): tanh 5/3,
 * relu √2, leaky_relu √(2 / (1 + slope²)), selu 3/4, linear and sigmoid 1.
 *
 * @param nonlinearity the function that follows the layer
 * @param param leaky_relu's negative slope (default 0.01)
 * @returns the gain
 * @throws {RangeError} for an unknown nonlinearity
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { calculateGain } from "./init.ts";
 * equal(calculateGain("tanh"), 5 / 3);
 * equal(calculateGain("relu"), Math.SQRT2);
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  checkOneOf("calculateGain", "nonlinearity", nonlinearity, NONLINEARITIES);
  if (param != null) checkNumber("calculateGain", "param", param);
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.sqrt(2);
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      nonlinearity satisfies never;
      throw new RangeError(`Cannot compute gain: unknown nonlinearity ${nonlinearity}`);
  }
}

/**
 * Fan-in and fan-out of a weight of at least 2 dims (`(out, in, *kernel)`).
 *
 * @param t the weight
 * @returns [fanIn, fanOut]
 * @throws {ShapeError} for fewer than 2 dims
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { calculateFans } from "./init.ts";
 * deepEqual(calculateFans(zeros([200, 30])), [30, 200]);
 * ```
 */
export function calculateFans(t: Tensor): [number, number] {
  checkTensor("calculateFans", "tensor", t);
  if (t.ndim < 2) {
    throw new ShapeError(
      `Cannot compute fan in and fan out: the tensor needs 2 or more dims, got shape ${
        formatShape(t.shape)
      }`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * Fills `t` with U(low, high) draws (`nn.init.uniform_`).
 *
 * @param t the tensor (any float32 tensor, even one that requires grad)
 * @param opts low (default 0), high (default 1), generator
 * @returns t
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { uniform_ } from "./init.ts";
 * ok(uniform_(zeros([50]), { low: -2, high: -1 }).dataSync().every((v) => v >= -2 && v < -1));
 * ```
 */
export function uniform_(
  t: Tensor,
  opts: InitOptions & { low?: number; high?: number } = {},
): Tensor {
  const [o, g] = initArgs("uniform_", t, opts, ["generator", "low", "high"]);
  return fill(t, g.uniform(t.size, o.low ?? 0, o.high ?? 1));
}

/**
 * Fills `t` with N(mean, std²) draws (`nn.init.normal_`).
 *
 * @param t the tensor
 * @param opts mean (default 0), std (default 1), generator
 * @returns t
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { normal_ } from "./init.ts";
 * const v = normal_(zeros([1000]), { std: 0.02 }).dataSync();
 * ok(v.every((x) => Math.abs(x) < 0.2));
 * ```
 */
export function normal_(
  t: Tensor,
  opts: InitOptions & { mean?: number; std?: number } = {},
): Tensor {
  const [o, g] = initArgs("normal_", t, opts, ["generator", "mean", "std"]);
  return fill(t, g.normal(t.size, o.mean ?? 0, o.std ?? 1));
}

/**
 * Fills `t` with a constant (`nn.init.constant_`).
 *
 * @param t the tensor
 * @param value the value
 * @returns t
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { constant_ } from "./init.ts";
 * deepEqual([...constant_(zeros([2]), 0.5).dataSync()], [0.5, 0.5]);
 * ```
 */
export function constant_(t: Tensor, value: number): Tensor {
  checkTensor("constant_", "tensor", t);
  checkScalar("constant_", "value", value);
  noGrad(() => t.fill_(value));
  return t;
}

/**
 * Fills `t` with zeros (`nn.init.zeros_`).
 *
 * @param t the tensor
 * @returns t
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { ones } from "../ops/creation.ts";
 * import { zeros_ } from "./init.ts";
 * deepEqual([...zeros_(ones([3])).dataSync()], [0, 0, 0]);
 * ```
 */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Fills `t` with ones (`nn.init.ones_`).
 *
 * @param t the tensor
 * @returns t
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { ones_ } from "./init.ts";
 * deepEqual([...ones_(zeros([2])).dataSync()], [1, 1]);
 * ```
 */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

function kaimingStd(op: string, t: Tensor, opts: KaimingOptions): [number, Generator] {
  const [o, g] = initArgs(op, t, opts, ["a", "mode", "nonlinearity", "generator"]);
  const mode = checkOneOf(op, "mode", o.mode ?? "fan_in", ["fan_in", "fan_out"]);
  const nonlinearity = checkOneOf(
    op,
    "nonlinearity",
    o.nonlinearity ?? "leaky_relu",
    NONLINEARITIES,
  );
  const [fanIn, fanOut] = calculateFans(t);
  const gain = calculateGain(nonlinearity, o.a ?? 0);
  return [gain / Math.sqrt(mode === "fan_in" ? fanIn : fanOut), g];
}

/**
 * Kaiming (He) uniform init (`nn.init.kaiming_uniform_`): U(−b, b) with
 * `b = √3 · gain / √fan`; the double arithmetic follows PyTorch's, so the bound is bit-equal.
 *
 * @param t a weight of 2 or more dims
 * @param opts a, mode, nonlinearity, generator
 * @returns t
 * @throws {ShapeError} for fewer than 2 dims
 * @example `Linear`'s init: a = √5 gives b = 1/√fanIn
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { kaimingUniform_ } from "./init.ts";
 * const w = kaimingUniform_(zeros([20, 25]), { a: Math.sqrt(5) }).dataSync();
 * ok(w.every((v) => Math.abs(v) <= 0.2));
 * ```
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const [std, generator] = kaimingStd("kaimingUniform_", t, opts);
  const bound = Math.sqrt(3) * std;
  return uniform_(t, { low: -bound, high: bound, generator });
}

/**
 * Kaiming (He) normal init (`nn.init.kaiming_normal_`): N(0, (gain / √fan)²). With
 * `nonlinearity: "tanh"` this is the makemore lecture's `randn(...) * (5/3) / fanIn**0.5`.
 *
 * @param t a weight of 2 or more dims
 * @param opts a, mode, nonlinearity, generator
 * @returns t
 * @throws {ShapeError} for fewer than 2 dims
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { zeros } from "../ops/creation.ts";
 * import { kaimingNormal_ } from "./init.ts";
 * const w = kaimingNormal_(zeros([30, 200]), { nonlinearity: "tanh", mode: "fan_out" });
 * const std = Math.sqrt(w.mul(w).mean().itemSync());
 * ok(Math.abs(std - (5 / 3) / Math.sqrt(30)) < 0.02);
 * ```
 */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const [std, generator] = kaimingStd("kaimingNormal_", t, opts);
  return normal_(t, { std, generator });
}
