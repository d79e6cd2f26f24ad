/**
 * katagrad: a small autograd and tensor library for Deno, and the library that
 * the katagrad katas (Karpathy's *Neural Networks: Zero to Hero* as failing
 * tests) stand on.
 *
 * @example Scalar autograd
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Value } from "@katagrad/katagrad";
 * const x = new Value(-4);
 * const y = x.mul(x).add(x.mul(3));
 * y.backward();
 * equal(y.data, 4);
 * equal(x.grad, -5); // 2x + 3
 * ```
 *
 * @module
 */

export { topologicalOrder, Value, type ValueLike } from "./core/value.ts";

// Datasets
export { makeMoons, type Moons, type MoonsOptions } from "./core/data/moons.ts";
export { mulberry32, type Rng, seededUniform } from "./core/data/seeded.ts";
