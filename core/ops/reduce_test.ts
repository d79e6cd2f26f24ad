import { deepEqual, equal, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { arange, tensor, zeros } from "./creation.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

const x = tensor([[1, 5, 3, -2], [4, -6, 0.5, 8], [7, 2, 2, 1]]); // (3, 4)

Deno.test("sum over all, one, several and negative dims, with keepdim", () => {
  assertClose(x.sum(), 25.5);
  assertClose(x.sum(0), [12, 1, 5.5, 7]);
  assertClose(x.sum(-1), [7, 6.5, 12]);
  assertClose(x.sum(1, { keepdim: true }), [[7], [6.5], [12]]);
  const y = arange(0, 60, 1, { dtype: "float32" }).reshape(3, 4, 5);
  assertClose(y.sum([0, 2]), [330, 405, 480, 555]);
  assertClose(y.sum([0, 1]).slice(0, 0, 2), [330, 342]);
  deepEqual(y.sum([0, 2], { keepdim: true }).shape, [1, 4, 1]);
  assertClose(y.transpose(0, 2).sum(0), y.sum(2).t().toArraySync());
});

Deno.test("sum of int and bool tensors is int32; empty sums are 0", () => {
  const i = tensor([[1, 2], [3, 4]], { dtype: "int32" });
  equal(i.sum().dtype, "int32");
  equal(i.sum().itemSync(), 10);
  equal(tensor([true, true, false]).sum().itemSync(), 2);
  assertClose(zeros([0, 3]).sum(0), [0, 0, 0]);
  assertClose(zeros([0]).sum(), 0);
});

Deno.test("mean, var and std (unbiased and biased)", () => {
  assertClose(x.mean(), 25.5 / 12, { rtol: 1e-6 });
  assertClose(x.mean(0), [4, 1 / 3, 5.5 / 3, 7 / 3], { rtol: 1e-6 });
  const v = tensor([2, 4, 4, 4, 5, 5, 7, 9]);
  assertClose(v.var({ unbiased: false }), 4);
  assertClose(v.std({ unbiased: false }), 2);
  assertClose(v.var(), 32 / 7, { rtol: 1e-6 });
  assertClose(tensor([[1, 2], [3, 5]]).var(1, { keepdim: true }), [[0.5], [2]]);
  assertClose(tensor([[1, 2], [3, 5]]).std(0), [Math.SQRT2, Math.sqrt(4.5)], { rtol: 1e-6 });
  assertClose(tensor([3]).var(), NaN);
  assertClose(zeros([0]).mean(), NaN);
});

Deno.test("max/min values and indices along a dim, and over everything", () => {
  assertClose(x.max(), 8);
  assertClose(x.min(), -6);
  const { values, indices } = x.max(1);
  assertClose(values, [5, 8, 7]);
  deepEqual(indices.toArraySync(), [1, 3, 0]);
  equal(indices.dtype, "int32");
  const m = x.min(0, { keepdim: true });
  assertClose(m.values, [[1, -6, 0.5, -2]]);
  deepEqual(m.indices.toArraySync(), [[0, 1, 1, 0]]);
  deepEqual(x.argmax().toArraySync(), 7);
  deepEqual(x.argmax(0).toArraySync(), [2, 0, 0, 1]);
  deepEqual(x.argmin(1, { keepdim: true }).toArraySync(), [[3], [1], [3]]);
  // first occurrence wins on ties, as PyTorch on CPU
  deepEqual(tensor([2, 7, 7, 1]).argmax().toArraySync(), 1);
});

Deno.test("NaN wins max/min/argmax and propagates through sum/mean/logsumexp", () => {
  const n = tensor([[1, NaN, 3], [4, 5, 6]]);
  assertClose(n.max(), NaN);
  assertClose(n.max(1).values, [NaN, 6]);
  deepEqual(n.argmax(1).toArraySync(), [1, 2]);
  assertClose(n.min(1).values, [NaN, 4]);
  assertClose(n.sum(1), [NaN, 15]);
  assertClose(n.mean(0), [2.5, NaN, 4.5]);
  assertClose(n.logsumexp(1), [NaN, 6 + Math.log(1 + Math.exp(-1) + Math.exp(-2))], { rtol: 1e-6 });
  const inf = tensor([[Infinity, 1], [-Infinity, -Infinity], [-Infinity, 0]]);
  assertClose(inf.logsumexp(1), [Infinity, -Infinity, 0]);
  assertClose(inf.max(1).values, [Infinity, -Infinity, 0]);
  assertClose(tensor([Infinity, -Infinity]).sum(), NaN);
});

Deno.test("logsumexp is stable for large values", () => {
  assertClose(tensor([[1000, 1000], [-1000, -1001]]).logsumexp(1), [
    1000 + Math.LN2,
    -1000 + Math.log(1 + Math.exp(-1)),
  ], { rtol: 1e-6 });
  deepEqual(tensor([[1, 2]]).logsumexp(1, { keepdim: true }).shape, [1, 1]);
  // fused (consecutive dims) and composite (scattered dims) paths agree with a direct formula
  const t = arange(0, 24, 1, { dtype: "float32" }).reshape(2, 3, 4).div(7);
  const direct = (vals: number[]) => Math.log(vals.reduce((s, v) => s + Math.exp(v), 0));
  const d = Array.from(t.dataSync());
  assertClose(t.logsumexp([1, 2]), [direct(d.slice(0, 12)), direct(d.slice(12))], { rtol: 1e-6 });
  const col = (j: number) => [0, 1, 2, 3, 12, 13, 14, 15].map((k) => d[k + 4 * j]);
  assertClose(t.logsumexp([0, 2]), [0, 1, 2].map((j) => direct(col(j))), { rtol: 1e-6 });
});

Deno.test("reduction gradients match finite differences", () => {
  checkGrads((a) => a.sum(), [rnd([3, 5])]);
  checkGrads((a) => a.sum(1), [rnd([3, 5])]);
  checkGrads((a) => a.sum([0, 2], { keepdim: true }), [rnd([2, 3, 5])]);
  checkGrads((a) => a.mean(0), [rnd([4, 3])]);
  checkGrads((a) => a.var(1), [rnd([3, 6])]);
  checkGrads((a) => a.std(0, { unbiased: false }), [rnd([5, 2])]);
  checkGrads((a) => a.logsumexp(1), [rnd([4, 7])]);
  checkGrads((a) => a.logsumexp([0, 1]), [rnd([3, 3])]);
  checkGrads((a) => a.logsumexp([0, 2]), [rnd([2, 3, 4])]);
  checkGrads((a) => a.max(1).values, [rnd([4, 5])]);
  checkGrads((a) => a.min(0, { keepdim: true }).values, [rnd([4, 5])]);
  checkGrads((a) => a.max(), [rnd([3, 4])]);
  checkGrads((a) => a.transpose(0, 1).sum(0), [rnd([3, 4])]);
});

Deno.test("max over everything spreads the gradient over ties, as PyTorch", () => {
  const t = tensor([1, 3, 3, 2], { requiresGrad: true });
  t.max().backward();
  assertClose(t.grad!, [0, 0.5, 0.5, 0]);
  const u = tensor([[1, 3, 3]], { requiresGrad: true });
  u.max(1).values.sum().backward();
  assertClose(u.grad!, [[0, 1, 0]]);
});

Deno.test("reduction errors are typed and name the dims", () => {
  throws(() => x.sum(2), {
    name: "IndexError",
    message: "sum: dim 2 is out of range for a 2-d tensor (expected -2..1)",
  });
  throws(() => x.sum([0, -2]), {
    name: "IndexError",
    message: "sum: dim 0 appears more than once",
  });
  throws(() => zeros([0, 3]).max(), {
    name: "IndexError",
    message: "max: cannot reduce an empty tensor of shape (0, 3) without a dim",
  });
  throws(() => zeros([2, 0]).max(1), {
    name: "IndexError",
    message: "max: cannot reduce dim 1 of size 0 (shape (2, 0))",
  });
  throws(() => zeros([2, 0]).argmax(1), {
    name: "IndexError",
    message: "argmax: cannot reduce dim 1 of size 0 (shape (2, 0))",
  });
  throws(() => tensor([1, 2], { dtype: "int32" }).mean(), {
    name: "DTypeError",
    message: 'mean: expected a float32 tensor, got int32; cast with .to("float32")',
  });
  throws(() => tensor([1, 2], { dtype: "int32" }).var(), { name: "DTypeError" });
});
