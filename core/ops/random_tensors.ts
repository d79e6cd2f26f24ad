/**
 * Random tensors: uniform, normal and integer samples and permutations drawn from a
 * {@link Generator} (the process-wide default unless one is given).
 *
 * @module
 */

import type { Device } from "../dtype.ts";
import { DTypeError } from "../errors.ts";
import { defaultGenerator } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { checkInstance, checkNumber } from "../validate.ts";
import {
  checkAllocation,
  checkCreateOptions,
  CREATE_OPTIONS,
  shapeAndOptions,
  toShape,
} from "../validate_creation.ts";
import {
  finish,
  fromTyped,
  type RandomOptions,
  type ShapeAndOptions,
  type ShapeLike,
} from "./creation.ts";
import { convertValues } from "./nested.ts";

const RANDOM_OPTIONS = [...CREATE_OPTIONS, "generator"];

/** Checks the options and the size of a random tensor; returns its generator and options. */
function drawSetup(
  op: string,
  shape: readonly number[],
  opts: unknown,
  float: boolean,
): [Generator, Partial<RandomOptions>, number] {
  const o = checkCreateOptions(op, opts as RandomOptions | undefined, RANDOM_OPTIONS);
  if (o.generator !== undefined) {
    checkInstance(op, "generator", o.generator, Generator, "a Generator");
  }
  if (float && o.dtype !== undefined && o.dtype !== "float32") {
    throw new DTypeError(`${op}: draws float32 values, got dtype "${o.dtype}"`);
  }
  const n = checkAllocation(op, shape, float ? "float32" : o.dtype ?? "int32");
  return [o.generator ?? defaultGenerator(), o, n];
}

/**
 * Uniform samples in [0, 1). The shape is given as dims or as one array, then optionally the
 * options: `rand(3, 4)`, `rand([3, 4], { generator })`.
 *
 * @param args the dims or one array of them, then optionally the options (generator,
 *   requiresGrad, device; dtype float32 only)
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @throws {TypeError} when the shape is missing or not numbers, or for a bad option
 * @throws {RangeError} when the tensor would need more than 2 GiB
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { rand } from "./random_tensors.ts";
 * const v = rand([3, 4], { generator: new Generator(1) }).dataSync();
 * ok(v.every((x) => x >= 0 && x < 1));
 * ```
 */
export function rand(...args: ShapeAndOptions<RandomOptions>): Tensor {
  const [s, opts] = shapeAndOptions("rand", args);
  const [g, o, n] = drawSetup("rand", s, opts, true);
  return finish(fromTyped(g.uniform(n), s, o.device), o);
}

/**
 * Standard normal samples. The shape is given as dims or as one array, then optionally the
 * options: `randn(27, 10)`, `randn([27, 10], { generator })`, `randn(27, 10, { generator })`.
 *
 * @param args the dims or one array of them, then optionally the options (generator,
 *   requiresGrad, device; dtype float32 only)
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @throws {TypeError} when the shape is missing or not numbers, or for a bad option
 * @throws {RangeError} when the tensor would need more than 2 GiB
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { randn } from "./random_tensors.ts";
 * deepEqual(randn(5, { generator: new Generator(3) }).dataSync(),
 *   randn([5], { generator: new Generator(3) }).dataSync());
 * deepEqual(randn(27, 10).shape, [27, 10]);
 * ```
 */
export function randn(...args: ShapeAndOptions<RandomOptions>): Tensor {
  const [s, opts] = shapeAndOptions("randn", args);
  const [g, o, n] = drawSetup("randn", s, opts, true);
  return finish(fromTyped(g.normal(n), s, o.device), o);
}

/**
 * Integers uniform in [low, high), as int32 (or the dtype asked for). The shape is one array or
 * one number, as in PyTorch's `torch.randint(low, high, size)`.
 *
 * @param low inclusive bound
 * @param high exclusive bound
 * @param shape the dims
 * @param opts generator, device, dtype (default int32), requiresGrad (float32 only)
 * @returns the tensor
 * @throws {TypeError} for a non-number bound or a bad option
 * @throws {RangeError} when high <= low, or the bounds are not integers in [-2^31, 2^31]
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randint } from "./random_tensors.ts";
 * ok(randint(0, 27, [32, 3]).dataSync().every((v) => v >= 0 && v < 27));
 * ```
 */
export function randint(low: number, high: number, shape: ShapeLike, opts?: RandomOptions): Tensor {
  checkNumber("randint", "low", low, { integer: true });
  checkNumber("randint", "high", high, { integer: true });
  if (low >= high) {
    throw new RangeError(`randint: low must be less than high, got low ${low} and high ${high}`);
  }
  const s = toShape("randint", shape);
  const [g, o, n] = drawSetup("randint", s, opts, false);
  const ints = g.integers(low, high, n);
  const dtype = o.dtype ?? "int32";
  const arr = dtype === "int32" ? ints : convertValues("randint", ints, dtype);
  return finish(fromTyped(arr, s, o.device), o);
}

/** Options of {@link randperm}. */
export interface RandpermOptions {
  /** The generator to draw from (default: the process-wide one). */
  generator?: Generator;
  /** int32 (default; PyTorch's default is int64, katagrad's index dtype is int32) or float32. */
  dtype?: "int32" | "float32";
  /** Device (default: `getDefaultDevice()`). */
  device?: Device;
}

/**
 * A random permutation of 0..n−1, as `torch.randperm(n, generator=g)`: the same generator
 * seed gives PyTorch's permutation, element for element.
 *
 * @param n the length (an integer >= 0)
 * @param opts generator, dtype ("int32" default, or "float32"), device
 * @returns a 1-d tensor of n elements
 * @throws {TypeError} on a non-number n, an unknown option, or a generator that is not one
 * @throws {RangeError} when n is not an integer in [0, 2^31)
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { randperm } from "./random_tensors.ts";
 * const p = randperm(5, { generator: new Generator(42) });
 * deepEqual(p.dtype, "int32");
 * deepEqual([...p.dataSync()].sort(), [0, 1, 2, 3, 4]);
 * ```
 */
export function randperm(n: number, opts?: RandpermOptions): Tensor {
  checkNumber("randperm", "n", n, { integer: true, min: 0, max: 2 ** 31 - 1 });
  const o = checkCreateOptions("randperm", opts, ["generator", "dtype", "device"]);
  if (o.generator !== undefined) {
    checkInstance("randperm", "generator", o.generator, Generator, "a Generator");
  }
  const dtype = o.dtype ?? "int32";
  if (dtype !== "int32" && dtype !== "float32") {
    throw new DTypeError(`randperm: dtype must be "int32" or "float32", got "${dtype}"`);
  }
  checkAllocation("randperm", [n], dtype);
  const perm = (o.generator ?? defaultGenerator()).randperm(n);
  return fromTyped(dtype === "int32" ? perm : Float32Array.from(perm), [n], o.device);
}
