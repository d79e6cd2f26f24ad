/**
 * Gradient checking by central finite differences in a random direction: the
 * analytic gradient from `backward()` against `(L(x + εu) − L(x − εu))` for
 * `L = Σ f(x)·v`, with float64 arithmetic over the float32 inputs.
 *
 * @module
 */

import { noGrad } from "./autograd.ts";
import { tensor } from "./ops/creation.ts";
import { Generator } from "./random/generator.ts";
import { cpuData } from "./device.ts";
import type { Tensor } from "./tensor.ts";
import { checkFunction, checkNumber, checkOptions, checkTensor, describe } from "./validate.ts";

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Step size relative to max(1, |x|) per element (default 1e-3). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Relative tolerance (default 1e-2). */
  rtol?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
}

/** One input's comparison. */
export interface GradcheckResult {
  /** Index of the input. */
  input: number;
  /** Σ grad·(x⁺ − x⁻) / ‖x⁺ − x⁻‖ from autograd (a directional derivative). */
  analytic: number;
  /** (L(x⁺) − L(x⁻)) / ‖x⁺ − x⁻‖ from two forward passes. */
  numeric: number;
  /** Whether they agree within the tolerances. */
  ok: boolean;
}

function weighted(y: Tensor, v: Float32Array): number {
  const d = y.dataSync();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * v[i];
  return s;
}

/**
 * Checks `f`'s gradients with respect to every input that requires grad.
 *
 * @param f the function under test
 * @param inputs float32 CPU tensors (leaves; those with `requiresGrad` are checked)
 * @param opts step size, tolerances, seed
 * @returns one result per checked input
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { gradcheck } from "./gradcheck.ts";
 * import { tensor } from "./ops/creation.ts";
 * const x = tensor([[0.5, -1.2, 2], [1, 0.3, -0.7]], { requiresGrad: true });
 * ok(gradcheck((a) => a.tanh().mul(a), [x]).every((r) => r.ok));
 * ```
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult[] {
  const op = "gradcheck";
  checkFunction(op, "f", f);
  if (!Array.isArray(inputs)) {
    throw new TypeError(`${op}: inputs must be an array of Tensors, got ${describe(inputs)}`);
  }
  inputs.forEach((x, i) => checkTensor(op, `inputs[${i}]`, x));
  const o = checkOptions(op, opts, ["eps", "atol", "rtol", "seed"]);
  const eps = checkNumber(op, "eps", o.eps ?? 1e-3, { min: 0 });
  const atol = checkNumber(op, "atol", o.atol ?? 1e-3, { min: 0 });
  const rtol = checkNumber(op, "rtol", o.rtol ?? 1e-2, { min: 0 });
  const gen = new Generator(checkNumber(op, "seed", o.seed ?? 0, { integer: true }));
  for (const x of inputs) x.grad = null;
  const y = f(...inputs);
  checkTensor(op, "the result of f", y);
  const v = gen.normal(y.size);
  y.backward(tensor(v, { shape: y.shape }));
  const results: GradcheckResult[] = [];
  inputs.forEach((x, i) => {
    if (!x.requiresGrad) return;
    const data = cpuData(x);
    const orig = Float32Array.from(x.dataSync());
    const u = gen.normal(x.size);
    const plus = new Float32Array(x.size), minus = new Float32Array(x.size);
    for (let j = 0; j < x.size; j++) {
      const h = eps * Math.max(1, Math.abs(orig[j])) * u[j];
      plus[j] = orig[j] + h;
      minus[j] = orig[j] - h;
    }
    const evalAt = (vals: Float32Array) =>
      noGrad(() => {
        data.set(vals);
        return weighted(f(...inputs), v);
      });
    const num = evalAt(plus) - evalAt(minus);
    data.set(orig);
    const g = x.grad === null ? new Float32Array(x.size) : x.grad.dataSync();
    let dot = 0, norm = 0;
    for (let j = 0; j < x.size; j++) {
      const d = plus[j] - minus[j];
      dot += g[j] * d;
      norm += d * d;
    }
    // directional derivatives along the unit step direction
    const scale = norm > 0 ? Math.sqrt(norm) : 1;
    const analytic = dot / scale, numeric = num / scale;
    const ok = Math.abs(numeric - analytic) <= atol + rtol * Math.abs(analytic);
    results.push({ input: i, analytic, numeric, ok });
  });
  return results;
}
