import { deepEqual, equal, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { tensor, zeros } from "./creation.ts";
import { cumsum, prod } from "./scan.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

Deno.test("cumsum along each dim; int and bool sums are int32", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assertClose(cumsum(x, 0), [[1, 2, 3], [5, 7, 9]]);
  assertClose(cumsum(x, -1), [[1, 3, 6], [4, 9, 15]]);
  assertClose(cumsum(x.t(), 1), [[1, 5], [2, 7], [3, 9]]); // a strided input
  const i = cumsum(tensor([3, -1, 2], { dtype: "int32" }), 0);
  equal(i.dtype, "int32");
  deepEqual(i.toArraySync(), [3, 2, 4]);
  deepEqual(cumsum(tensor([true, false, true]), 0).toArraySync(), [1, 1, 2]);
  assertClose(cumsum(tensor(2.5), 0), 2.5);
  deepEqual(cumsum(zeros([2, 0]), 1).shape, [2, 0]);
  assertClose(cumsum(tensor([1, Infinity, 1, NaN, 1]), 0), [1, Infinity, Infinity, NaN, NaN]);
});

Deno.test("cumsum gradient is the reverse running sum of the upstream gradient", () => {
  const x = tensor([1, 2, 3, 4], { requiresGrad: true });
  cumsum(x, 0).mul(tensor([1, 10, 100, 1000])).sum().backward();
  assertClose(x.grad!, [1111, 1110, 1100, 1000]);
  checkGrads((a) => cumsum(a, 1), [rnd([3, 4, 2])]);
  checkGrads((a) => cumsum(a, 0).mul(a), [rnd([5])]);
});

Deno.test("prod over everything and along a dim, keepdim, empty and int inputs", () => {
  const x = tensor([[1, 2, 3], [4, -0.5, 6]]);
  assertClose(prod(x), -72);
  assertClose(prod(x, 0), [4, -1, 18]);
  assertClose(prod(x, 1, { keepdim: true }), [[6], [-12]]);
  assertClose(prod(zeros([0])), 1);
  assertClose(prod(zeros([2, 0]), 1), [1, 1]);
  const i = prod(tensor([[2, 3], [-4, 5]], { dtype: "int32" }), 1);
  equal(i.dtype, "int32");
  deepEqual(i.toArraySync(), [6, -20]);
  equal(prod(tensor([true, true])).itemSync(), 1);
  assertClose(prod(tensor(3), 0), 3);
});

Deno.test("prod gradient is the product of the others, zeros included", () => {
  const x = tensor([[2, 0, 3, 0.5], [0, 0, 1, 2], [1.5, -2, 0.5, 1]], { requiresGrad: true });
  prod(x, 1).sum().backward();
  assertClose(x.grad!, [[0, 3, 0, 0], [0, 0, 0, 0], [-1, 0.75, -3, -1.5]]);
  const y = tensor([2, 0, 3, 0.5], { requiresGrad: true });
  prod(y).backward();
  assertClose(y.grad!, [0, 3, 0, 0]);
  checkGrads((a) => prod(a, 0), [rnd([4, 3])]);
  checkGrads((a) => prod(a), [rnd([2, 3])]);
  checkGrads((a) => prod(a, -1, { keepdim: true }), [rnd([2, 2, 3])]);
});

Deno.test("cumsum and prod check their arguments", () => {
  const x = tensor([1, 2]);
  throws(() => cumsum(x, 1), { name: "IndexError", message: /cumsum: dim 1 is out of range/ });
  throws(() => cumsum(x, undefined as never), {
    name: "TypeError",
    message: "cumsum: dim must be an integer, got undefined",
  });
  throws(() => prod(x, 0, { keepdims: true } as never), {
    name: "TypeError",
    message: "prod: unknown option keepdims; did you mean keepdim?",
  });
  throws(() => prod("x" as never), { name: "TypeError", message: /prod: input must be a Tensor/ });
});

Deno.test("Tensor methods cumsum and prod", () => {
  assertClose(tensor([1, 2, 3]).cumsum(0), [1, 3, 6]);
  assertClose(tensor([1, 2, 3]).prod(), 6);
});
