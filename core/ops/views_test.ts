import { deepEqual, equal, notEqual, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { arange, tensor } from "./creation.ts";
import { checkGrads, rnd } from "./test_inputs.ts";
import { flip, narrow, repeat, select, unbind } from "./views.ts";

const emb = arange(0, 24, 1, { dtype: "float32" }).reshape(2, 3, 4); // (B, T, C)

Deno.test("select is emb[:, i, :]: a view with the dim removed; negative positions count from the end", () => {
  const s = select(emb, 1, 0);
  deepEqual(s.shape, [2, 4]);
  assertClose(s, [[0, 1, 2, 3], [12, 13, 14, 15]]);
  equal(s.storage, emb.storage);
  assertClose(select(emb, -1, -1), [[3, 7, 11], [15, 19, 23]]);
  assertClose(select(tensor([5, 6, 7]), 0, 1), 6);
});

Deno.test("narrow and unbind are views; unbind gives every slice", () => {
  const n = narrow(emb, 2, 1, 2);
  deepEqual(n.shape, [2, 3, 2]);
  assertClose(n.select(0, 0), [[1, 2], [5, 6], [9, 10]]);
  equal(n.storage, emb.storage);
  assertClose(narrow(tensor([1, 2, 3, 4]), 0, -3, 2), [2, 3]);
  deepEqual(narrow(tensor([1, 2]), 0, 2, 0).shape, [0]);
  const parts = unbind(emb, 1);
  equal(parts.length, 3);
  assertClose(parts[2], [[8, 9, 10, 11], [20, 21, 22, 23]]);
  equal(parts[0].storage, emb.storage);
});

Deno.test("flip reverses the given dims (a copy)", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assertClose(flip(x, 0), [[4, 5, 6], [1, 2, 3]]);
  assertClose(flip(x, [-1, 0]), [[6, 5, 4], [3, 2, 1]]);
  assertClose(x.flip(1), [[3, 2, 1], [6, 5, 4]]);
  const row = tensor([[7, 8]]);
  notEqual(flip(row, 0).storage, row.storage); // nothing to reverse, still a copy
  deepEqual(flip(tensor([true, false]), 0).toArraySync(), [false, true]);
});

Deno.test("repeat tiles (a copy), extra sizes add leading dims", () => {
  const x = tensor([[1, 2], [3, 4]]);
  assertClose(repeat(x, [1, 2]), [[1, 2, 1, 2], [3, 4, 3, 4]]);
  assertClose(repeat(x, [2, 1]), [[1, 2], [3, 4], [1, 2], [3, 4]]);
  deepEqual(repeat(x, [3, 1, 1]).shape, [3, 2, 2]);
  assertClose(repeat(tensor([1, 2]), [2, 2]), [[1, 2, 1, 2], [1, 2, 1, 2]]);
  deepEqual(repeat(x, [0, 2]).shape, [0, 4]);
  const ones = repeat(x, [1, 1]);
  notEqual(ones.storage, x.storage);
  assertClose(x.repeat(1, 2), [[1, 2, 1, 2], [3, 4, 3, 4]]);
});

Deno.test("select, narrow, unbind, flip and repeat carry gradients", () => {
  checkGrads((a) => select(a, 1, 2), [rnd([2, 3, 2])]);
  checkGrads((a) => narrow(a, 0, 1, 2), [rnd([4, 3])]);
  checkGrads((a) => unbind(a, 1)[0].mul(unbind(a, 1)[1]), [rnd([3, 2])]);
  checkGrads((a) => flip(a, [0, 1]).mul(a), [rnd([2, 3])]);
  checkGrads((a) => repeat(a, [2, 1, 3]), [rnd([2, 2])]);
});

Deno.test("select, narrow, unbind, flip and repeat check their arguments", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  throws(() => select(x, 1, 3), {
    name: "IndexError",
    message: "select: index 3 is out of range for dim 1 of size 3 (shape (2, 3))",
  });
  throws(() => select(x, 2, 0), { name: "IndexError", message: /select: dim 2 is out of range/ });
  throws(() => select(tensor(1), 0, 0), { name: "IndexError", message: /select: cannot pick/ });
  throws(() => select(x, 0, 0.5), {
    name: "RangeError",
    message: "select: index must be an integer, got 0.5",
  });
  throws(() => narrow(x, 1, 2, 2), {
    name: "IndexError",
    message: "narrow: start 2 + length 2 passes the end of dim 1 of size 3",
  });
  throws(() => narrow(x, 1, 0, -1), {
    name: "RangeError",
    message: "narrow: length must be an integer >= 0, got -1",
  });
  throws(() => flip(x, [0, 0]), {
    name: "IndexError",
    message: /flip: dim 0 appears more than once/,
  });
  throws(() => flip(x, "0" as never), {
    name: "TypeError",
    message: /flip: dims must be a number/,
  });
  throws(() => repeat(x, [2]), {
    name: "ShapeError",
    message: "repeat: got 1 sizes [2] for a 2-d tensor of shape (2, 3); give at least one per dim",
  });
  throws(() => repeat(x, [1, -1]), {
    name: "RangeError",
    message: "repeat: sizes[1] must be an integer >= 0, got -1",
  });
  throws(() => unbind(null as never), {
    name: "TypeError",
    message: /unbind: input must be a Tensor/,
  });
});
