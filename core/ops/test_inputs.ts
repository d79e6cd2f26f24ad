/**
 * Seeded random inputs and a gradient assertion shared by the op tests.
 *
 * @module
 */

import { ok } from "node:assert/strict";
import { gradcheck } from "../gradcheck.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { tensor } from "./creation.ts";

const gen = new Generator(4321);

/**
 * A float32 leaf with normal values pushed away from 0 (|x| ≥ 0.1).
 *
 * @param shape the dims
 * @param grad whether it requires grad (default true)
 * @returns the tensor
 */
export function rnd(shape: number[], grad = true): Tensor {
  const d = gen.normal(shape.reduce((a, b) => a * b, 1)).map((v) => v + Math.sign(v) * 0.1);
  return tensor(d, { shape, requiresGrad: grad });
}

/**
 * Asserts every input's gradient agrees with central finite differences.
 *
 * @param f the function
 * @param inputs its leaves
 */
export function checkGrads(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  for (const r of gradcheck(f, inputs)) {
    ok(r.ok, `input ${r.input}: analytic ${r.analytic} vs numeric ${r.numeric}`);
  }
}
