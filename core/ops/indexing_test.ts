import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { noGrad } from "../autograd.ts";
import { AutogradError, DTypeError, IndexError, ShapeError } from "../errors.ts";
import { arange, tensor, zeros } from "./creation.ts";
import { oneHot } from "./encoding.ts";
import { indexPut_ } from "./index_put.ts";
import { gather, index, indexSelect } from "./indexing.ts";
import { maskedFill, tril, triu } from "./masking.ts";

const i32 = (v: number[] | number[][]) => tensor(v, { dtype: "int32" });
const C = tensor([[0, 1], [10, 11], [20, 21], [30, 31], [40, 41], [50, 51], [60, 61]]);

Deno.test("index() picks rows for X of any shape and counts negatives from the end", () => {
  deepEqual(index(C, i32([[6, 0], [-1, 2]])).toArraySync(), [
    [[60, 61], [0, 1]],
    [[60, 61], [20, 21]],
  ]);
  deepEqual(index(C, i32([-7])).toArraySync(), [[0, 1]]);
});

Deno.test("index() with [rows, cols] picks probs[arange(n), ys] and routes the gradient", () => {
  const probs = tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], { requiresGrad: true });
  const picked = index(probs, [arange(2), i32([2, 0])]);
  deepEqual([...picked.dataSync()], [Math.fround(0.7), 0.5]);
  picked.log().mean().neg().backward();
  const g = probs.grad!.dataSync();
  ok(Math.abs(g[2] + 0.5 / Math.fround(0.7)) < 1e-6 && Math.abs(g[3] + 1) < 1e-6);
  equal(g[0], 0);
});

Deno.test("index() throws DTypeError on a float index tensor", () => {
  throws(
    () => index(C, tensor([1, 2])),
    (e: Error) =>
      e instanceof DTypeError &&
      e.message === "index: index tensors must be int32, got float32 (convert with .to('int32'))",
  );
});

Deno.test("index() throws IndexError naming the index and the bound", () => {
  throws(() => index(C, i32([3, 7])), {
    name: "IndexError",
    message: "index: index 7 is out of bounds for dim 0 with size 7",
  });
  throws(() => index(C, i32([-8])), {
    name: "IndexError",
    message: "index: index -8 is out of bounds for dim 0 with size 7",
  });
  throws(() => index(C, [arange(2), i32([0, 2])]), {
    name: "IndexError",
    message: "index: index 2 is out of bounds for dim 1 with size 2",
  });
});

Deno.test("index() throws on more index tensors than dims and on index shapes that do not broadcast", () => {
  throws(() => index(C, [i32([0]), i32([0]), i32([0])]), {
    name: "IndexError",
    message: "index: cannot index a 2-d tensor of shape (7, 2) with 3 index tensors",
  });
  throws(() => index(C, [i32([0, 1]), i32([0, 1, 1])]), (e: Error) =>
    e instanceof ShapeError &&
    e.message === "index: cannot broadcast shapes (2) and (3)");
});

Deno.test("indexSelect() checks the index rank, the dim and refuses negative indices", () => {
  throws(() => indexSelect(C, 0, i32([[0]])), {
    name: "ShapeError",
    message: "indexSelect: the index must be 1-d, got shape (1, 1)",
  });
  throws(
    () => indexSelect(C, 2, i32([0])),
    (e: Error) =>
      e instanceof IndexError && e.message.startsWith("indexSelect: dim 2 is out of range"),
  );
  throws(() => indexSelect(C, 1, i32([-1])), {
    name: "IndexError",
    message: "indexSelect: index -1 is out of bounds for dim 1 with size 2",
  });
});

Deno.test("gather() checks ranks, sizes and index range", () => {
  throws(() => gather(C, 1, i32([0, 1])), (e: Error) =>
    e instanceof ShapeError &&
    e.message ===
      "gather: index shape (2) does not fit input shape (7, 2) (same rank, no larger outside dim 1)");
  throws(() => gather(C, 1, i32([[0, 2]])), {
    name: "IndexError",
    message: "gather: index 2 is out of bounds for dim 1 with size 2",
  });
});

Deno.test("maskedFill() wants a bool mask that broadcasts to the input", () => {
  throws(() => maskedFill(C, i32([1, 0]), 0), {
    name: "DTypeError",
    message: "maskedFill: the mask must be bool, got int32",
  });
  throws(() => maskedFill(C, tensor([true, false, true]), 0), {
    name: "ShapeError",
    message: "maskedFill: mask shape (3) does not broadcast to input shape (7, 2)",
  });
});

Deno.test("tril()/triu() need at least 2 dims and keep NaN out of the zeroed part", () => {
  throws(() => tril(tensor([1, 2])), {
    name: "ShapeError",
    message: "tril: input must have at least 2 dims, got shape (2)",
  });
  deepEqual(triu(tensor([[NaN, 1], [NaN, 2]])).toArraySync(), [[NaN, 1], [0, 2]]);
});

Deno.test("oneHot() checks dtype and class range", () => {
  throws(() => oneHot(tensor([1, 2]), 3), {
    name: "DTypeError",
    message: "oneHot: class indices must be int32, got float32",
  });
  throws(() => oneHot(i32([1, 3]), 3), {
    name: "IndexError",
    message: "oneHot: class 3 is out of bounds for 3 classes",
  });
  throws(() => oneHot(i32([-1]), 3), {
    name: "IndexError",
    message: "oneHot: class -1 is out of bounds for 3 classes",
  });
});

Deno.test("indexPut_() counts bigrams like N[ix1, ix2] += 1", () => {
  const words = ["emma", "olivia", "ava", "isabella", "sophia"];
  const chars = [".", ..."abcdefghijklmnopqrstuvwxyz"];
  const xs: number[] = [], ys: number[] = [];
  const expected = new Int32Array(27 * 27);
  for (const w of words) {
    const cs = [".", ...w, "."];
    for (let i = 0; i + 1 < cs.length; i++) {
      const a = chars.indexOf(cs[i]), b = chars.indexOf(cs[i + 1]);
      xs.push(a);
      ys.push(b);
      expected[a * 27 + b]++;
    }
  }
  const N = zeros([27, 27], { dtype: "int32" });
  const v0 = N.storage.version;
  indexPut_(N, [i32(xs), i32(ys)], 1, { accumulate: true });
  deepEqual(N.dataSync(), expected);
  equal(N.storage.version, v0 + 1);
});

Deno.test("indexPut_() assigns without accumulate and writes through a non-contiguous view", () => {
  const base = zeros([3, 2]);
  const view = base.t(); // (2, 3) view
  indexPut_(view, [i32([1, 1]), i32([2, 0])], tensor([5, 7]));
  deepEqual(base.toArraySync(), [[0, 7], [0, 0], [0, 5]]);
  const rows = zeros([3, 2]);
  indexPut_(rows, i32([2, 2]), tensor([1, 2]));
  deepEqual(rows.toArraySync(), [[0, 0], [0, 0], [1, 2]]);
});

Deno.test("indexPut_() refuses a leaf that requires grad, other dtypes and misfit values", () => {
  const w = zeros([3], { requiresGrad: true });
  throws(() => indexPut_(w, i32([0]), 1), (e: Error) =>
    e instanceof AutogradError &&
    e.message ===
      "Cannot run indexPut_ in place: the tensor requires grad; wrap the update in noGrad(() => ...)");
  noGrad(() => indexPut_(w, i32([0]), 1));
  equal(w.dataSync()[0], 1);
  throws(() => indexPut_(zeros([3], { dtype: "int32" }), i32([0]), tensor([1])), {
    name: "DTypeError",
    message: "indexPut_: values of dtype float32 cannot be put into a int32 tensor",
  });
  throws(() => indexPut_(zeros([3, 2]), i32([0, 1]), zeros([3, 2])), {
    name: "ShapeError",
    message: "indexPut_: values of shape (3, 2) do not broadcast to the indexed shape (2, 2)",
  });
});

Deno.test("a saved index stays valid when the caller changes its index tensor in place", () => {
  const W = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const X = i32([2, 2, 0]);
  const y = index(W, X);
  X.fill_(1);
  y.sum().backward();
  deepEqual(W.grad!.toArraySync(), [[1, 1], [0, 0], [2, 2]]);
});

Deno.test("Tensor methods index/gather/indexSelect/maskedFill/tril/indexPut_/softmax delegate to the ops", () => {
  const C = tensor([[1, 2], [3, 4], [5, 6]]);
  const X = tensor([[2, 0], [1, 1]], { dtype: "int32" });
  deepEqual(C.index(X).toArraySync(), [[[5, 6], [1, 2]], [[3, 4], [3, 4]]]);
  const rows = tensor([0, 1, 2], { dtype: "int32" }), cols = tensor([1, 0, 1], { dtype: "int32" });
  deepEqual(C.index([rows, cols]).toArraySync(), [2, 3, 6]);
  deepEqual(C.gather(1, tensor([[1], [0], [1]], { dtype: "int32" })).toArraySync(), [[2], [3], [
    6,
  ]]);
  deepEqual(C.indexSelect(0, tensor([2, 0], { dtype: "int32" })).toArraySync(), [[5, 6], [1, 2]]);
  deepEqual(C.maskedFill(C.gt(3), 0).toArraySync(), [[1, 2], [3, 0], [0, 0]]);
  deepEqual(C.tril().toArraySync(), [[1, 0], [3, 4], [5, 6]]);
  deepEqual(C.triu().toArraySync(), [[1, 2], [0, 4], [0, 0]]);
  const N = zeros([2, 2], { dtype: "int32" });
  N.indexPut_([tensor([0, 0, 1], { dtype: "int32" }), tensor([1, 1, 0], { dtype: "int32" })], 1, {
    accumulate: true,
  });
  deepEqual(N.toArraySync(), [[0, 2], [1, 0]]);
  const p = tensor([[0, Math.log(3)]]).softmax(1).toArraySync() as number[][];
  ok(Math.abs(p[0][0] - 0.25) < 1e-6 && Math.abs(p[0][1] - 0.75) < 1e-6);
  const lp = tensor([[0, Math.log(3)]]).logSoftmax(1).toArraySync() as number[][];
  ok(Math.abs(lp[0][0] - Math.log(0.25)) < 1e-6);
});
