/**
 * Kata 14, step 14.3: linear, softmax and rmsnorm on lists of Values, against
 * CPython's values and gradients for the same inputs.
 *
 * @module
 */

import { assertClose } from "../_lib/assert.ts";
import { sum, type Value } from "./autograd.ts";
import { assertAllNear, data, numericGrad, REF, values } from "./_checks.ts";
import { linear, rmsnorm, softmax } from "./layers.ts";

/** `sum(c_i * y_i)` with the fixture's weights c, so every output has a different gradient. */
function weighted(y: Value[]): Value {
  const cs = [1.0, -2.0, 0.5, 3.0];
  return sum(y.map((yi, i) => yi.mul(cs[i])));
}

type Case = { x: number[]; out: number[]; x_grad: number[] };

function check(name: string, fn: (x: Value[]) => Value[], ref: Case): void {
  const x = values(ref.x);
  const y = fn(x);
  assertAllNear(`${name}(${JSON.stringify(ref.x)})`, data(y), ref.out);
  weighted(y).backward();
  assertAllNear(`${name}: x.grad of sum(c * out)`, x.map((v) => v.grad), ref.x_grad, 1e-10);
  x.forEach((xi, i) =>
    assertClose(
      `${name}: x[${i}].grad vs finite differences`,
      xi.grad,
      numericGrad(() => weighted(fn(x)).data, xi, 1e-7),
      1e-5,
    )
  );
}

Deno.test("14.3 linear: output i is sum(w[i][j] * x[j]); gradients for x and w", () => {
  const ref = REF.linear;
  const x = values(ref.x);
  const w = ref.w.map((row) => values(row));
  const y = linear(x, w);
  assertAllNear("linear(x, w) with w 3×4", data(y), ref.out);
  sum(y.map((yi, i) => yi.mul([1.0, -2.0, 0.5][i]))).backward();
  assertAllNear("x.grad", x.map((v) => v.grad), ref.x_grad);
  ref.w_grad.forEach((row, i) => assertAllNear(`w[${i}].grad`, w[i].map((v) => v.grad), row));
});

Deno.test("14.3 softmax: probabilities and their gradients", () => {
  check("softmax", softmax, REF.softmax);
  const p = softmax(values([0, Math.log(3)]));
  assertAllNear("softmax([0, ln 3])", data(p), [0.25, 0.75], 1e-15);
});

Deno.test("14.3 softmax subtracts the max first: logits near 1000 do not overflow", () => {
  check("softmax", softmax, REF.softmax_big);
});

Deno.test("14.3 rmsnorm: x * (mean(x²) + 1e-5) ** -0.5, and its gradients", () => {
  check("rmsnorm", rmsnorm, REF.rmsnorm);
});

Deno.test("14.3 rmsnorm: the epsilon is added to the mean square, inside the power", () => {
  // mean(x²) ≈ 4.6e-6 here, below eps = 1e-5: where the epsilon goes changes everything
  check("rmsnorm", rmsnorm, REF.rmsnorm_small);
});
