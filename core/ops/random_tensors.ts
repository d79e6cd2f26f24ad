/**
 * Random tensors: uniform, normal and integer samples and permutations drawn from a
 * {@link Generator} (the process-wide default unless one is given).
 *
 * @module
 */

import type { Device } from "../dtype.ts";
import { defaultGenerator } from "../random/default_generator.ts";
import { Generator } from "../random/generator.ts";
import { sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
import { checkNumber, checkOneOf, checkOptions, describe } from "../validate.ts";
import { finish, fromTyped, type RandomOptions, type ShapeLike, toShape } from "./creation.ts";

/**
 * Uniform samples in [0, 1).
 *
 * @param shape the dims
 * @param opts generator, requiresGrad, device
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { rand } from "./random_tensors.ts";
 * const v = rand([3, 4], { generator: new Generator(1) }).dataSync();
 * ok(v.every((x) => x >= 0 && x < 1));
 * ```
 */
export function rand(shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("rand", shape);
  const g = opts?.generator ?? defaultGenerator();
  return finish(fromTyped(g.uniform(sizeOf(s)), s, opts?.device), opts);
}

/**
 * Standard normal samples.
 *
 * @param shape the dims
 * @param opts generator, requiresGrad, device
 * @returns a float32 tensor
 * @throws {ShapeError} on an invalid shape
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { Generator } from "../random/generator.ts";
 * import { randn } from "./random_tensors.ts";
 * deepEqual(randn(5, { generator: new Generator(3) }).dataSync(),
 *   randn(5, { generator: new Generator(3) }).dataSync());
 * ```
 */
export function randn(shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("randn", shape);
  const g = opts?.generator ?? defaultGenerator();
  return finish(fromTyped(g.normal(sizeOf(s)), s, opts?.device), opts);
}

/**
 * Integers uniform in [low, high), as int32.
 *
 * @param low inclusive bound
 * @param high exclusive bound
 * @param shape the dims
 * @param opts generator, device
 * @returns an int32 tensor
 * @throws {RangeError} when high <= low
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { randint } from "./random_tensors.ts";
 * ok(randint(0, 27, [32, 3]).dataSync().every((v) => v >= 0 && v < 27));
 * ```
 */
export function randint(low: number, high: number, shape: ShapeLike, opts?: RandomOptions): Tensor {
  const s = toShape("randint", shape);
  const g = opts?.generator ?? defaultGenerator();
  return fromTyped(g.integers(low, high, sizeOf(s)), s, opts?.device);
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
  const o = checkOptions("randperm", opts, ["generator", "dtype", "device"]);
  checkNumber("randperm", "n", n, { integer: true, min: 0, max: 2 ** 31 - 1 });
  if (o.generator !== undefined && !(o.generator instanceof Generator)) {
    throw new TypeError(`randperm: generator must be a Generator, got ${describe(o.generator)}`);
  }
  const dtype = checkOneOf("randperm", "dtype", o.dtype ?? "int32", ["int32", "float32"]);
  const perm = (o.generator ?? defaultGenerator()).randperm(n);
  return fromTyped(dtype === "int32" ? perm : Float32Array.from(perm), [n], o.device);
}
