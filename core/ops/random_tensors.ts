/**
 * Random tensors: uniform, normal and integer samples drawn from a
 * {@link Generator} (the process-wide default unless one is given).
 *
 * @module
 */

import { defaultGenerator } from "../random/default_generator.ts";
import { sizeOf } from "../shape.ts";
import type { Tensor } from "../tensor.ts";
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
