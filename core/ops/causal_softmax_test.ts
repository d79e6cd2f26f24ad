import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { tensor } from "./creation.ts";
import { causalSoftmax, softmax } from "./functional.ts";
import { checkGrads, rnd } from "./test_inputs.ts";
import type { Tensor } from "../tensor.ts";

/** nanoGPT's form: scale, mask the entries above the (shifted) diagonal, softmax. */
function composite(x: Tensor, scale: number): Tensor {
  const rows = x.shape[x.ndim - 2], cols = x.shape[x.ndim - 1];
  const masked = Array.from(
    { length: rows },
    (_, i) => Array.from({ length: cols }, (_, j) => j > i + cols - rows),
  );
  return x.mul(scale).maskedFill(tensor(masked), -Infinity).softmax(-1);
}

/** Output and input gradient of `f` at x's values, for the upstream gradient g. */
function run(f: (x: Tensor) => Tensor, x0: Tensor, g: Tensor) {
  const x = x0.detach().clone();
  x.requiresGrad = true;
  const y = f(x);
  y.mul(g).sum().backward();
  return [y.dataSync(), x.grad!.dataSync()];
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string) {
  equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    const ok_ = Object.is(a[i], b[i]) || Math.abs(a[i] - b[i]) <= 1e-6 * (1 + Math.abs(b[i]));
    ok(ok_, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

Deno.test("causalSoftmax is scale, causal mask and softmax in one op, forward and backward", () => {
  const cases: [number[], number][] = [
    [[4, 4], 1],
    [[2, 3, 7, 7], 0.125],
    [[3, 5, 9], 0.7], // fewer queries than keys: the last query sees every key
    [[1, 33, 33], 1 / Math.sqrt(32)],
  ];
  for (const [shape, scale] of cases) {
    const x = rnd(shape, false), g = rnd(shape, false);
    const [y, dx] = run((x) => causalSoftmax(x, scale), x, g);
    const [y2, dx2] = run((x) => composite(x, scale), x, g);
    close(y, y2, `y ${shape}`);
    close(dx, dx2, `dx ${shape}`);
  }
});

Deno.test("causalSoftmax: masked weights are exactly 0, each row sums to 1", () => {
  const y = causalSoftmax(rnd([2, 6, 6], false), 0.5).toArraySync() as number[][][];
  for (const m of y) {
    m.forEach((row, i) => {
      row.forEach((v, j) => ok(j <= i ? v > 0 : Object.is(v, 0), `(${i}, ${j}) = ${v}`));
      ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-6);
    });
  }
});

Deno.test("causalSoftmax: a query that sees no key (more queries than keys) is NaN", () => {
  const y = causalSoftmax(tensor([[1, 2], [3, 4], [5, 6]])).toArraySync() as number[][];
  ok(y[0].every(Number.isNaN)); // row 0 sees keys j <= 0 + 2 - 3 = -1: none
  deepEqual(y[1], [1, 0]);
  ok(Math.abs(y[2][0] + y[2][1] - 1) < 1e-6);
});

Deno.test("causalSoftmax and softmax's fused backward agree with finite differences", () => {
  checkGrads((x) => causalSoftmax(x, 0.3), [rnd([2, 5, 5])]);
  checkGrads((x) => causalSoftmax(x, 2), [rnd([3, 4])]);
  checkGrads((x) => softmax(x, -1), [rnd([3, 6])]); // the fused kernel
  checkGrads((x) => softmax(x, 0), [rnd([3, 6])]); // the composite rule
  checkGrads((x) => softmax(x.mT, -1), [rnd([5, 4])]); // a transposed input
});

Deno.test("causalSoftmax refuses non-float, 1-d input and a NaN scale, naming them", () => {
  throws(() => causalSoftmax(tensor([[1]], { dtype: "int32" })), {
    name: "DTypeError",
    message: "causalSoftmax: expected a float32 input, got int32",
  });
  throws(() => causalSoftmax(tensor([1, 2])), {
    name: "ShapeError",
    message: "causalSoftmax: expected scores (..., queries, keys) with at least 2 dims, got (2)",
  });
  throws(() => causalSoftmax(tensor([[1]]), NaN), { name: "RangeError" });
});
