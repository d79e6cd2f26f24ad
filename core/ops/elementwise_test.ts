import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { DTypeError, ShapeError } from "../errors.ts";
import { gradcheck } from "../gradcheck.ts";
import { Generator } from "../random/generator.ts";
import type { Tensor } from "../tensor.ts";
import { arange, randn, tensor, zeros } from "./creation.ts";
import { where } from "./elementwise.ts";

const gen = new Generator(1234);
/** Random float32 input away from 0 (|x| >= 0.1), to keep kinks out of finite differences. */
function rnd(shape: number[], grad = true): Tensor {
  const d = gen.normal(shape.reduce((a, b) => a * b, 1)).map((v) => v + Math.sign(v) * 0.1);
  return tensor(d, { shape, requiresGrad: grad });
}
/** Random values on a 0.1 grid shifted by `shift`: two such inputs with shifts 0 and 0.05 never tie. */
function grid(shape: number[], shift: number): Tensor {
  const d = gen.normal(shape.reduce((a, b) => a * b, 1)).map((v) =>
    Math.round(v * 10) / 10 + shift
  );
  return tensor(d, { shape, requiresGrad: true });
}
function checkGrads(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  for (const r of gradcheck(f, inputs)) {
    ok(r.ok, `input ${r.input}: analytic ${r.analytic} vs numeric ${r.numeric}`);
  }
}

Deno.test("add broadcasts (2,1) with (3) to (2,3)", () => {
  assertClose(tensor([[1], [2]]).add(tensor([10, 20, 30])), [[11, 21, 31], [12, 22, 32]]);
});

Deno.test("binary ops broadcast non-square, non-power-of-two shapes against PyTorch's rules", () => {
  const a = arange(0, 15, 1, { dtype: "float32" }).reshape(5, 1, 3); // (5,1,3)
  const b = arange(1, 8, 1, { dtype: "float32" }).reshape(7, 1); // (7,1)
  const y = a.mul(b);
  deepEqual(y.shape, [5, 7, 3]);
  const d = y.dataSync();
  equal(d[(4 * 7 + 6) * 3 + 2], 14 * 7);
  equal(d[(2 * 7 + 3) * 3 + 1], 7 * 4);
});

Deno.test("zero-size broadcasting gives empty results", () => {
  deepEqual(zeros([0, 3]).add(tensor([1, 2, 3])).shape, [0, 3]);
  deepEqual(zeros([2, 0]).mul(zeros([1, 0])).shape, [2, 0]);
  deepEqual(zeros([0]).exp().toArraySync(), []);
});

Deno.test("sub, mul, div, pow, maximum, minimum give known answers", () => {
  const a = tensor([[6, -2, 3], [1.5, 4, -8]]), b = tensor([2, 4, -1]);
  assertClose(a.sub(b), [[4, -6, 4], [-0.5, 0, -7]]);
  assertClose(a.mul(b), [[12, -8, -3], [3, 16, 8]]);
  assertClose(a.div(b), [[3, -0.5, -3], [0.75, 1, 8]]);
  assertClose(tensor([2, 3, 4]).pow(tensor([3, 0.5, -1])), [8, Math.sqrt(3), 0.25]);
  assertClose(a.maximum(b), [[6, 4, 3], [2, 4, -1]]);
  assertClose(a.minimum(b), [[2, -2, -1], [1.5, 4, -8]]);
});

Deno.test("scalars are accepted on either side", () => {
  assertClose(tensor([1, 2]).add(0.5), [1.5, 2.5]);
  assertClose(tensor([1, 2]).pow(2), [1, 4]);
  const x = tensor([1, 2, 4]);
  assertClose(x.div(2), [0.5, 1, 2]);
});

Deno.test("unary ops give known answers", () => {
  const x = tensor([-2, -0.5, 0, 0.5, 3]);
  assertClose(x.neg(), [2, 0.5, -0, -0.5, -3]);
  assertClose(x.exp(), [-2, -0.5, 0, 0.5, 3].map(Math.exp), { rtol: 1e-6 });
  assertClose(x.abs(), [2, 0.5, 0, 0.5, 3]);
  assertClose(x.tanh(), [-2, -0.5, 0, 0.5, 3].map(Math.tanh), { rtol: 1e-6 });
  assertClose(x.relu(), [0, 0, 0, 0.5, 3]);
  assertClose(x.sigmoid(), [-2, -0.5, 0, 0.5, 3].map((v) => 1 / (1 + Math.exp(-v))));
  assertClose(tensor([0.25, 4]).sqrt(), [0.5, 2]);
  assertClose(tensor([1, Math.E]).log(), [0, 1]);
  assertClose(x.clamp(-1, 1), [-1, -0.5, 0, 0.5, 1]);
  assertClose(x.clamp(null, 0), [-2, -0.5, 0, 0, 0]);
});

Deno.test("gelu exact and tanh-approximate match PyTorch values", () => {
  // torch 1.13: F.gelu(torch.tensor([-3., -1., -0.1, 0., 0.5, 2.])), rounded to 8 digits
  const x = tensor([-3, -1, -0.1, 0, 0.5, 2]);
  assertClose(x.gelu(), [-0.00404987, -0.15865529, -0.04601721, 0, 0.3457312, 1.95449996], {
    atol: 1e-6,
    rtol: 1e-5,
  });
  // approximate="tanh"
  assertClose(
    x.gelu({ approximate: "tanh" }),
    [-0.00363743, -0.15880799, -0.04601725, 0, 0.345714, 1.95459771],
    { atol: 1e-6, rtol: 1e-5 },
  );
});

Deno.test("NaN and ±Inf propagate as in PyTorch", () => {
  const x = tensor([NaN, Infinity, -Infinity, 1]);
  assertClose(x.add(1), [NaN, Infinity, -Infinity, 2]);
  assertClose(x.mul(0), [NaN, NaN, NaN, 0]);
  assertClose(x.exp(), [NaN, Infinity, 0, Math.E], { rtol: 1e-6 });
  assertClose(x.tanh(), [NaN, 1, -1, Math.tanh(1)], { rtol: 1e-6 });
  assertClose(x.relu(), [NaN, Infinity, 0, 1]);
  assertClose(x.sigmoid(), [NaN, 1, 0, 1 / (1 + Math.exp(-1))]);
  assertClose(x.maximum(0), [NaN, Infinity, 0, 1]);
  assertClose(x.minimum(0), [NaN, 0, -Infinity, 0]);
  assertClose(x.clamp(-5, 5), [NaN, 5, -5, 1]);
  assertClose(tensor([-1, 0, 1]).log(), [NaN, -Infinity, 0]);
  assertClose(tensor([-1]).sqrt(), [NaN]);
  assertClose(tensor([1, -1, 0]).div(0), [Infinity, -Infinity, NaN]);
  assertClose(tensor([1, -1]).pow(Infinity), [1, 1]);
  deepEqual(x.eq(x).toArraySync(), [false, true, true, true]);
  deepEqual(x.ne(x).toArraySync(), [true, false, false, false]);
});

Deno.test("comparisons return bool tensors with broadcasting", () => {
  const a = tensor([[1, 2, 3]]), b = tensor([[2], [3]]);
  const lt = a.lt(b);
  equal(lt.dtype, "bool");
  deepEqual(lt.toArraySync(), [[true, false, false], [true, true, false]]);
  deepEqual(a.le(2).toArraySync(), [[true, true, false]]);
  deepEqual(a.gt(2).toArraySync(), [[false, false, true]]);
  deepEqual(a.ge(2).toArraySync(), [[false, true, true]]);
  deepEqual(a.eq(2).toArraySync(), [[false, true, false]]);
  deepEqual(a.ne(2).toArraySync(), [[true, false, true]]);
});

Deno.test("where picks with broadcasting and scalars", () => {
  const x = tensor([[-1, 2], [3, -4]]);
  assertClose(where(x.gt(0), x, tensor([10, 20])), [[10, 2], [3, 20]]);
  assertClose(where(x.gt(0), 1, 0), [[0, 1], [1, 0]]);
});

Deno.test("dtype promotion: int32 with float32 is float32; int division is float", () => {
  const i = tensor([1, 2, 3], { dtype: "int32" });
  equal(i.add(1).dtype, "int32");
  equal(i.add(0.5).dtype, "float32");
  equal(i.add(tensor([0.5, 0.5, 0.5])).dtype, "float32");
  equal(i.div(2).dtype, "float32");
  assertClose(i.div(2), [0.5, 1, 1.5]);
  equal(i.exp().dtype, "float32");
  equal(i.neg().dtype, "int32");
  const b = tensor([true, false]);
  equal(b.add(b).dtype, "bool");
  deepEqual(b.add(b).toArraySync(), [true, false]);
  equal(b.add(1).dtype, "int32");
  equal(i.to("float32").dtype, "float32");
  deepEqual(tensor([0, 0.5, -2]).to("bool").toArraySync(), [false, true, true]);
  deepEqual(tensor([1.7, -1.7]).to("int32").toArraySync(), [1, -1]);
});

Deno.test("elementwise errors are typed and name the shapes", () => {
  throws(() => tensor([[1, 2, 3], [4, 5, 6]]).add(zeros([4, 3])), {
    name: "ShapeError",
    message: "add: cannot broadcast shapes (2, 3) and (4, 3)",
  });
  throws(() => zeros([2, 3]).mul(zeros([3, 2])), ShapeError);
  throws(() => where(tensor([1, 0]), 1, 2), {
    name: "DTypeError",
    message: "where: expected a bool condition, got float32",
  });
  throws(() => tensor([true]).sub(tensor([false])), DTypeError);
  throws(() => tensor([true]).neg(), {
    name: "DTypeError",
    message: "neg: cannot apply to a bool tensor (PyTorch refuses too)",
  });
  throws(() => zeros([2]).clamp(), {
    name: "TypeError",
    message: "clamp: at least one of min and max must be a number, got none",
  });
  throws(() => where(tensor([true, false]), zeros([3]), 0), ShapeError);
  throws(() => tensor([2, 3], { dtype: "int32" }).pow(-1), {
    name: "DTypeError",
    message:
      "pow: integers to negative integer powers are not allowed (PyTorch refuses too); cast to float32",
  });
});

Deno.test("gradients of binary ops with broadcasting match finite differences", () => {
  const shapes: [number[], number[]][] = [[[3, 5], [3, 5]], [[4, 1, 3], [5, 1]], [[7], [2, 7]]];
  for (const [sa, sb] of shapes) {
    checkGrads((a, b) => a.add(b), [rnd(sa), rnd(sb)]);
    checkGrads((a, b) => a.sub(b), [rnd(sa), rnd(sb)]);
    checkGrads((a, b) => a.mul(b), [rnd(sa), rnd(sb)]);
    checkGrads((a, b) => a.div(b), [rnd(sa), rnd(sb)]);
    checkGrads((a, b) => a.maximum(b), [grid(sa, 0), grid(sb, 0.05)]);
    checkGrads((a, b) => a.minimum(b), [grid(sa, 0), grid(sb, 0.05)]);
  }
  const base = rnd([3, 4]).abs().add(0.5).detach();
  base.requiresGrad = true;
  checkGrads((a, b) => a.pow(b), [base, rnd([4])]);
  checkGrads((a) => a.pow(3), [rnd([2, 3])]);
  checkGrads((a) => a.mul(2.5).sub(1).div(3), [rnd([5])]);
});

Deno.test("gradients of unary ops match finite differences", () => {
  const pos = () => {
    const t = rnd([3, 7]).abs().add(0.2).detach();
    t.requiresGrad = true;
    return t;
  };
  checkGrads((x) => x.neg(), [rnd([3, 7])]);
  checkGrads((x) => x.exp(), [rnd([3, 7])]);
  checkGrads((x) => x.log(), [pos()]);
  checkGrads((x) => x.sqrt(), [pos()]);
  checkGrads((x) => x.abs(), [rnd([3, 7])]);
  checkGrads((x) => x.tanh(), [rnd([3, 7])]);
  checkGrads((x) => x.relu(), [rnd([3, 7])]);
  checkGrads((x) => x.sigmoid(), [rnd([3, 7])]);
  checkGrads((x) => x.gelu(), [rnd([3, 7])]);
  checkGrads((x) => x.gelu({ approximate: "tanh" }), [rnd([3, 7])]);
  checkGrads((x) => x.clamp(-0.55, 0.75), [rnd([3, 7])]);
  checkGrads((x) => x.clamp(0.05), [rnd([3, 7])]);
  checkGrads((a, b) => where(a.gt(b), a, b.mul(2)), [rnd([3, 5]), rnd([5])]);
});

Deno.test("maximum splits the gradient evenly on ties, as PyTorch", () => {
  const a = tensor([1, 2, 3], { requiresGrad: true }),
    b = tensor([1, 5, 0], { requiresGrad: true });
  a.maximum(b).sum().backward();
  assertClose(a.grad!, [0.5, 0, 1]);
  assertClose(b.grad!, [0.5, 1, 0]);
});

Deno.test("relu and clamp gradients at the boundaries follow PyTorch", () => {
  const x = tensor([-1, 0, 1], { requiresGrad: true });
  x.relu().sum().backward();
  assertClose(x.grad!, [0, 0, 1]);
  const y = tensor([-1, 0, 1, 2], { requiresGrad: true });
  y.clamp(0, 1).sum().backward();
  assertClose(y.grad!, [0, 1, 1, 0]);
});

Deno.test("randn-based smoke: large contiguous and strided inputs agree", () => {
  const a = randn([64, 33]), b = randn([33, 64]);
  const viaT = a.add(b.t());
  const viaCopy = a.add(b.t().contiguous());
  deepEqual(viaT.dataSync(), viaCopy.dataSync());
});
