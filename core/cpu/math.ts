/**
 * Scalar math the CPU kernels need beyond `Math`: erf (for exact GELU), GELU
 * derivatives, and a `pow` with C's special cases.
 *
 * @module
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * The error function, accurate to about 1e-7 relative (float32 precision).
 * A Taylor series near 0 (no cancellation), a Chebyshev fit of erfc elsewhere.
 *
 * @param x the argument
 * @returns erf(x)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { erf } from "./math.ts";
 * ok(Math.abs(erf(1) - 0.8427007929497149) < 1e-7);
 * ```
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const z = Math.abs(x);
  if (z < 0.5) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 12; n++) {
      term *= -x2 / n;
      sum += term / (2 * n + 1);
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  const t = 1 / (1 + 0.5 * z);
  const erfc = t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 +
            t * (0.37409196 +
                t * (0.09678418 +
                    t * (-0.18628806 +
                        t * (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}

const GELU_C = 0.7978845608028654; // sqrt(2 / pi)
const GELU_A = 0.044715;

/**
 * The derivative of tanh-approximate GELU.
 *
 * @param x the argument
 * @returns d/dx 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x³)))
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { geluTanhGrad } from "./math.ts";
 * ok(Math.abs(geluTanhGrad(0) - 0.5) < 1e-12);
 * ```
 */
export function geluTanhGrad(x: number): number {
  const th = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
  return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * GELU_C * (1 + 3 * GELU_A * x * x);
}

/**
 * `a ** b` with C's (and PyTorch's) special cases: `pow(1, y) = 1` and
 * `pow(-1, ±Inf) = 1`, where JavaScript gives NaN.
 *
 * @param a base
 * @param b exponent
 * @returns the power
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { powC } from "./math.ts";
 * equal(powC(1, NaN), 1);
 * equal(powC(2, 10), 1024);
 * ```
 */
export function powC(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

// tanh(x) = x·P(x²)/Q(x²) on |x| < 9 (a rational fit, max error 1 ulp in float32); ±1 beyond.
const P0 = 0.9999999915456078, P1 = 0.13396864033618971, P2 = 0.0035142769861470696;
const P3 = 2.0911833850113283e-05, P4 = 1.3765338924276449e-08;
const Q1 = 0.46730188346278395, Q2 = 0.025948395964062596, Q3 = 0.0003315990596366704;
const Q4 = 7.946500732922135e-07;

/**
 * tanh to float32 accuracy (within 1 ulp of the correctly rounded value),
 * about 4x faster than `Math.tanh` in a loop. NaN stays NaN, ±Inf give ±1.
 *
 * @param x the argument
 * @returns tanh(x)
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fastTanh } from "./math.ts";
 * ok(Math.abs(fastTanh(0.5) - Math.tanh(0.5)) < 1e-7);
 * ```
 */
export function fastTanh(x: number): number {
  if (x > 9) return 1;
  if (x < -9) return -1;
  const t = x * x;
  return (x * (P0 + t * (P1 + t * (P2 + t * (P3 + t * P4))))) /
    (1 + t * (Q1 + t * (Q2 + t * (Q3 + t * Q4))));
}
