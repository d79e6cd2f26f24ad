import { deepEqual, equal, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { tensor, zeros } from "./creation.ts";
import { amax, amin } from "./amax.ts";
import { norm } from "./norm.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

const x = tensor([[[1, 9], [3, 4]], [[5, 2], [7, 8]]]); // (2, 2, 2)

Deno.test("amax/amin over one, several and all dims, with keepdim", () => {
  assertClose(amax(x, [0, 2]), [9, 8]);
  assertClose(amin(x, [0, 2]), [1, 3]);
  assertClose(amax(x), 9);
  assertClose(amax(x, []), 9); // an empty list means every dim, as in PyTorch
  assertClose(amin(x, -1, { keepdim: true }), [[[1], [3]], [[2], [7]]]);
  deepEqual(amax(x, [1, 0], { keepdim: true }).shape, [1, 1, 2]);
  assertClose(amax(tensor([1, NaN, 3]), 0), NaN);
  deepEqual(amax(tensor([[1, 2]], { dtype: "int32" }), 1).toArraySync(), [2]);
});

Deno.test("amax/amin share the gradient evenly among ties, as PyTorch", () => {
  const t = tensor([[1, 3, 3, -1], [2, 2, 2, 2]], { requiresGrad: true });
  amax(t, 1).sum().backward();
  assertClose(t.grad!, [[0, 0.5, 0.5, 0], [0.25, 0.25, 0.25, 0.25]]);
  const u = tensor([[1, 3], [3, 0]], { requiresGrad: true });
  amin(u).backward();
  assertClose(u.grad!, [[0, 0], [0, 1]]);
  checkGrads((a) => amax(a, [0, 2]), [rnd([3, 2, 4])]);
});

Deno.test("norm: L2 by default, p = 1, 3, 0.5, ±Infinity and 'fro', over dims", () => {
  const v = tensor([[3, -4, 0], [1, -2, 2]]);
  assertClose(norm(v), Math.sqrt(34), { rtol: 1e-6 });
  assertClose(norm(v, "fro"), Math.sqrt(34), { rtol: 1e-6 });
  assertClose(norm(v, 2, 1), [5, 3]);
  assertClose(norm(v, 1, -1, { keepdim: true }), [[7], [5]]);
  assertClose(norm(v, Infinity, 1), [4, 2]);
  assertClose(norm(v, -Infinity, 0), [1, 2, 0]);
  assertClose(norm(v, 3, 1), [Math.cbrt(91), Math.cbrt(17)], { rtol: 1e-6 });
  assertClose(norm(v, 0.5, 1), [(Math.sqrt(3) + 2) ** 2, (1 + 2 * Math.SQRT2) ** 2], {
    rtol: 1e-6,
  });
  assertClose(norm(zeros([0])), 0);
  assertClose(v.norm(2, [0, 1]), Math.sqrt(34), { rtol: 1e-6 });
});

Deno.test("norm gradients match finite differences, and are 0 at a zero vector (PyTorch's rule)", () => {
  for (const p of [1, 1.5, 2, 3, Infinity, -Infinity]) {
    checkGrads((a) => norm(a, p, 1), [rnd([3, 4])]);
  }
  for (const p of [0.5, 1, 2, 3, Infinity]) {
    const z = tensor([[0, 0, 0], [3, -4, 0]], { requiresGrad: true });
    norm(z, p, 1).sum().backward();
    const g = z.grad!.toArraySync() as number[][];
    deepEqual(g[0], [0, 0, 0], `p = ${p}`);
  }
  const t = tensor([[1, -3, 3]], { requiresGrad: true });
  norm(t, Infinity).backward();
  assertClose(t.grad!, [[0, -0.5, 0.5]]); // ties share it, with the sign
});

Deno.test("amax, amin and norm check their arguments", () => {
  throws(() => amax(zeros([2, 0]), 1), {
    name: "IndexError",
    message: "amax: cannot reduce dim 1 of size 0 (shape (2, 0)): no identity",
  });
  throws(() => amin(x, [0, 3]), { name: "IndexError", message: /amin: dim 3 is out of range/ });
  throws(() => amax(x, "0" as never), {
    name: "TypeError",
    message: 'amax: dim must be a number or an array of numbers, got "0" (a string)',
  });
  throws(() => norm(x, 0), {
    name: "RangeError",
    message: "norm: p must be a number > 0, Infinity or -Infinity, got 0",
  });
  throws(() => norm(x, "nuc" as never), { name: "TypeError", message: /norm: p must be a number/ });
  throws(() => norm(tensor([1, 2], { dtype: "int32" })), {
    name: "DTypeError",
    message: "norm: expected a float32 tensor, got int32; cast with .float()",
  });
  throws(() => norm(x, 2, 0, { keepDim: true } as never), {
    name: "TypeError",
    message: "norm: unknown option keepDim; did you mean keepdim?",
  });
  equal(x.amax().itemSync(), 9);
  equal(x.amin().itemSync(), 1);
});
