import { deepEqual, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { tensor, zeros } from "./creation.ts";
import { matmul } from "./matmul.ts";
import { checkGrads, rnd } from "./test_inputs.ts";
import type { Tensor } from "../tensor.ts";

/** Reference: plain triple loop over nested arrays. */
function ref(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}
const nested = (t: Tensor) => t.toArraySync() as number[][];

Deno.test("2-d matmul of non-square, non-power-of-two shapes matches a reference loop", () => {
  const a = rnd([5, 7], false), b = rnd([7, 3], false);
  assertClose(a.matmul(b), ref(nested(a), nested(b)), { atol: 1e-5 });
  assertClose(a.matmul(b.t().contiguous().t()), ref(nested(a), nested(b)), { atol: 1e-5 });
  assertClose(a.t().contiguous().mT.matmul(b), ref(nested(a), nested(b)), { atol: 1e-5 });
});

Deno.test("batched matmul broadcasts batch dims (3-d and 4-d)", () => {
  const a = rnd([2, 1, 4, 3], false), b = rnd([5, 3, 2], false);
  const y = matmul(a, b);
  deepEqual(y.shape, [2, 5, 4, 2]);
  const A = a.toArraySync() as number[][][][], B = b.toArraySync() as number[][][];
  const Y = y.toArraySync() as number[][][][];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 5; j++) assertClose(tensor(Y[i][j]), ref(A[i][0], B[j]), { atol: 1e-5 });
  }
  const c = rnd([3, 4, 6], false), d = rnd([6, 2], false);
  const Z = c.matmul(d).toArraySync() as number[][][];
  const C = c.toArraySync() as number[][][];
  for (let i = 0; i < 3; i++) assertClose(tensor(Z[i]), ref(C[i], nested(d)), { atol: 1e-5 });
});

Deno.test("vector cases: dot, matrix-vector, vector-matrix, batched-vector", () => {
  const v = tensor([1, 2, 3]), m = tensor([[1, 0, 2], [0, 1, 1]]);
  assertClose(v.matmul(v), 14);
  assertClose(m.matmul(v), [7, 5]);
  assertClose(tensor([1, 1]).matmul(m), [1, 1, 3]);
  deepEqual(zeros([4, 2, 3]).matmul(v).shape, [4, 2]);
  deepEqual(v.matmul(zeros([4, 3, 5])).shape, [4, 5]);
});

Deno.test("zero-size matmuls give zeros of the right shape", () => {
  assertClose(zeros([2, 0]).matmul(zeros([0, 3])), [[0, 0, 0], [0, 0, 0]]);
  deepEqual(zeros([0, 4]).matmul(zeros([4, 3])).shape, [0, 3]);
});

Deno.test("NaN and Inf propagate through matmul", () => {
  assertClose(tensor([[NaN, 1], [0, 1]]).matmul(tensor([[1], [1]])), [[NaN], [1]]);
  assertClose(tensor([[Infinity, 1]]).matmul(tensor([[0], [1]])), [[NaN]]);
});

Deno.test("matmul gradients match finite differences (2-d, batched, broadcast, vector)", () => {
  checkGrads((a, b) => a.matmul(b), [rnd([4, 3]), rnd([3, 5])]);
  checkGrads((a, b) => a.matmul(b), [rnd([2, 4, 3]), rnd([3, 2])]);
  checkGrads((a, b) => a.matmul(b), [rnd([2, 1, 2, 3]), rnd([3, 3, 4])]);
  checkGrads((a, b) => a.matmul(b), [rnd([3]), rnd([3, 4])]);
  checkGrads((a, b) => a.matmul(b), [rnd([2, 3]), rnd([3])]);
  checkGrads((a, b) => a.matmul(b), [rnd([5]), rnd([5])]);
  checkGrads((a, b) => a.mT.matmul(b.mT), [rnd([3, 4]), rnd([2, 3])]);
});

Deno.test("matmul errors name both shapes", () => {
  throws(() => zeros([2, 3]).matmul(zeros([4, 5])), {
    name: "ShapeError",
    message: "matmul: cannot multiply (2x3) and (4x5): inner dimensions 3 and 4 differ",
  });
  throws(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 4])), {
    name: "ShapeError",
    message: "matmul: cannot broadcast shapes (2) and (3)",
  });
  throws(() => zeros([3]).matmul(zeros([4])), {
    name: "ShapeError",
    message: "matmul: cannot multiply (3) and (4): inner dimensions 3 and 4 differ",
  });
  throws(() => tensor(2).matmul(zeros([2])), { name: "ShapeError" });
  throws(() => tensor([[1]], { dtype: "int32" }).matmul(zeros([1, 1])), {
    name: "DTypeError",
    message: 'matmul: expected float32 operands, got int32 and float32; cast with .to("float32")',
  });
});

Deno.test("a weight shared by a batch (x @ W.t()) gets the batch-summed gradient, contiguous", () => {
  const x = rnd([3, 4, 5]), w = rnd([6, 5]), b = rnd([5, 6]);
  checkGrads((x, w) => x.matmul(w.t()), [x, w]); // the transposed layout
  checkGrads((x, b) => x.matmul(b), [rnd([2, 3, 5]), b]); // a plain shared B
  checkGrads((x, b) => x.matmul(b), [rnd([2, 1, 3, 5]), rnd([5, 2])]); // several batch dims
  const g = rnd([3, 4, 6], false);
  w.grad = null;
  x.matmul(w.t()).mul(g).sum().backward();
  deepEqual(w.grad!.shape, [6, 5]);
  deepEqual(w.grad!.strides, [5, 1]);
  // the sum over the batch of each item's gᵢᵀ·xᵢ
  let want = zeros([6, 5]);
  for (let i = 0; i < 3; i++) want = want.add(g.select(0, i).mT.matmul(x.select(0, i).detach()));
  assertClose(w.grad!, want.toArraySync() as number[][], { atol: 1e-5 });
});
