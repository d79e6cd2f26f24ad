import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { noGrad } from "../autograd.ts";
import { arange, tensor, zeros } from "./creation.ts";
import { cat, stack } from "./movement.ts";
import { checkGrads, rnd } from "./test_inputs.ts";

const a = arange(0, 24, 1, { dtype: "float32" }).reshape(2, 3, 4);

Deno.test("reshape and view infer -1 and share storage", () => {
  const v = a.view(6, -1);
  deepEqual(v.shape, [6, 4]);
  equal(v.storage, a.storage);
  deepEqual(a.reshape([-1]).shape, [24]);
  deepEqual(a.reshape(4, 3, 2).toArraySync(), a.view(4, 3, 2).toArraySync());
  deepEqual(zeros([0, 3]).reshape(-1, 3).shape, [0, 3]);
});

Deno.test("reshape of a non-contiguous tensor copies; view refuses", () => {
  const t = a.transpose(0, 2); // (4, 3, 2)
  const r = t.reshape(4, 6);
  ok(r.storage !== a.storage);
  deepEqual((r.toArraySync() as number[][])[1], [1, 13, 5, 17, 9, 21]);
  throws(() => t.view(24), {
    name: "ShapeError",
    message:
      "view: cannot view a non-contiguous tensor of shape (4, 3, 2) as (24); use reshape() (it copies)",
  });
});

Deno.test("view splits or merges dims of a non-contiguous tensor when its layout allows", () => {
  const t = arange(24).reshape(4, 6).t(); // (6, 4), strides (1, 6)
  const v = t.view(3, 2, 4);
  equal(v.storage, t.storage);
  deepEqual(v.strides, [2, 1, 6]);
  const tv = t.toArraySync() as number[][];
  deepEqual(v.toArraySync(), [0, 1, 2].map((i) => [0, 1].map((j) => tv[i * 2 + j])));
  const u = t.unsqueeze(0).view(6, 1, 4);
  equal(u.storage, t.storage);
  deepEqual(u.toArraySync(), tv.map((row) => [row]));
  checkGrads((x) => x.t().view(3, 2, 4).mul(x.t().view(3, 2, 4)), [rnd([4, 6])]);
});

Deno.test("transpose, permute, t and mT are views with swapped strides", () => {
  const p = a.permute(2, 0, 1);
  deepEqual(p.shape, [4, 2, 3]);
  deepEqual(p.strides, [1, 12, 4]);
  equal((p.toArraySync() as number[][][])[3][1][2], 23);
  const m = tensor([[1, 2, 3], [4, 5, 6]]);
  deepEqual(m.t().toArraySync(), [[1, 4], [2, 5], [3, 6]]);
  deepEqual(a.mT.shape, [2, 4, 3]);
  deepEqual(a.transpose(-1, 0).shape, [4, 3, 2]);
  deepEqual(tensor([1, 2]).t().toArraySync(), [1, 2]);
  deepEqual(m.T.toArraySync(), [[1, 4], [2, 5], [3, 6]]);
  deepEqual(a.T.shape, [4, 3, 2]);
  equal(a.numel(), 24);
});

Deno.test("squeeze, unsqueeze, flatten, expand", () => {
  const s = zeros([1, 3, 1, 2]);
  deepEqual(s.squeeze().shape, [3, 2]);
  deepEqual(s.squeeze(2).shape, [1, 3, 2]);
  deepEqual(s.squeeze(1).shape, [1, 3, 1, 2]);
  deepEqual(tensor([1, 2]).unsqueeze(0).shape, [1, 2]);
  deepEqual(tensor([1, 2]).unsqueeze(-1).shape, [2, 1]);
  deepEqual(a.flatten().shape, [24]);
  deepEqual(a.flatten(1).shape, [2, 12]);
  deepEqual(a.flatten(0, 1).shape, [6, 4]);
  const e = tensor([[1], [2]]).expand(2, 3);
  deepEqual(e.toArraySync(), [[1, 1, 1], [2, 2, 2]]);
  deepEqual(e.strides, [1, 0]);
  deepEqual(tensor([1, 2]).expand(3, -1).toArraySync(), [[1, 2], [1, 2], [1, 2]]);
});

Deno.test("slice with start/stop/step and negative indices", () => {
  const r = arange(10);
  deepEqual(r.slice(0, 2, 8, 3).toArraySync(), [2, 5]);
  deepEqual(r.slice(0, -3).toArraySync(), [7, 8, 9]);
  deepEqual(r.slice(0, undefined, -7).toArraySync(), [0, 1, 2]);
  deepEqual(r.slice(0, 8, 2).toArraySync(), []);
  deepEqual(r.slice(0, -100, 100, 4).toArraySync(), [0, 4, 8]);
  deepEqual(a.slice(1, 1, 3).slice(2, -2).toArraySync(), [[[6, 7], [10, 11]], [[18, 19], [
    22,
    23,
  ]]]);
  equal(a.slice(2, 1).storage, a.storage);
});

Deno.test("split and chunk return views covering the dim", () => {
  const r = arange(7);
  deepEqual(r.split(3).map((t) => t.toArraySync()), [[0, 1, 2], [3, 4, 5], [6]]);
  deepEqual(r.split([2, 5]).map((t) => t.shape[0]), [2, 5]);
  deepEqual(r.chunk(3).map((t) => t.toArraySync()), [[0, 1, 2], [3, 4, 5], [6]]);
  deepEqual(a.chunk(2, -1).map((t) => t.shape), [[2, 3, 2], [2, 3, 2]]);
});

Deno.test("cat and stack join along dims, promoting dtypes", () => {
  const x = tensor([[1, 2], [3, 4]]), y = tensor([[5], [6]]);
  deepEqual(cat([x, y], 1).toArraySync(), [[1, 2, 5], [3, 4, 6]]);
  deepEqual(cat([x, x.t()]).shape, [4, 2]);
  deepEqual(cat([tensor([1], { dtype: "int32" }), tensor([0.5])]).toArraySync(), [1, 0.5]);
  deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).toArraySync(), [[1, 2], [3, 4]]);
  deepEqual(stack([tensor([1, 2]), tensor([3, 4])], 1).toArraySync(), [[1, 3], [2, 4]]);
  deepEqual(cat([zeros([0, 2]), x]).shape, [2, 2]);
});

Deno.test("contiguous copies only when needed", () => {
  equal(a.contiguous(), a);
  const t = a.transpose(0, 1).contiguous();
  ok(t.isContiguous());
  deepEqual(t.toArraySync(), a.transpose(0, 1).toArraySync());
});

Deno.test("writes through a view are seen by the base", () => {
  const base = zeros([3, 4]);
  noGrad(() => base.slice(1, 1, 3).fill_(7));
  deepEqual(base.toArraySync(), [[0, 7, 7, 0], [0, 7, 7, 0], [0, 7, 7, 0]]);
  base.t().slice(0, 0, 1).copy_(tensor([1, 2, 3]));
  deepEqual((base.toArraySync() as number[][])[2], [3, 7, 7, 0]);
});

Deno.test("movement gradients match finite differences", () => {
  const w1 = rnd([4, 2, 3], false), w2 = rnd([4, 3, 5], false);
  checkGrads((x) => x.reshape(5, 3).mul(x.reshape(5, 3)), [rnd([3, 5])]);
  checkGrads((x) => x.permute(2, 0, 1).mul(w1), [rnd([2, 3, 4])]);
  checkGrads((x) => x.t().matmul(x), [rnd([3, 2])]);
  checkGrads((x) => x.expand(4, 3, 5).mul(w2), [rnd([3, 1])]);
  checkGrads((x) => x.slice(1, 1, 7, 2).mul(x.slice(1, -3)), [rnd([2, 7])]);
  checkGrads((x) => x.unsqueeze(1).squeeze().flatten().tanh(), [rnd([3, 4])]);
  checkGrads((x, y) => cat([x, y.mul(2), x], 1), [rnd([2, 3]), rnd([2, 1])]);
  checkGrads((x, y) => stack([x, y], 2).exp(), [rnd([2, 3]), rnd([2, 3])]);
  checkGrads((x) => x.split([1, 3], 1)[1].mul(x.chunk(4, 1)[0]), [rnd([3, 4])]);
  checkGrads((x) => x.transpose(0, 1).contiguous().view(-1).exp(), [rnd([3, 4])]);
});

Deno.test("movement errors are typed and name the shapes", () => {
  throws(() => a.reshape(5, 5), {
    name: "ShapeError",
    message: "reshape: shape (5, 5) is invalid for input of size 24 (shape (2, 3, 4))",
  });
  throws(() => a.view(-1, 7), {
    name: "ShapeError",
    message: "view: shape (-1, 7) is invalid for input of size 24 (shape (2, 3, 4))",
  });
  throws(() => a.reshape(-1, -1), {
    name: "ShapeError",
    message: "reshape: only one dim can be -1, got (-1, -1)",
  });
  throws(() => a.permute(0, 1), {
    name: "IndexError",
    message: "permute: expected 3 dims for shape (2, 3, 4), got [0, 1]",
  });
  throws(() => a.permute(0, 1, 1), { name: "IndexError" });
  throws(() => a.transpose(0, 3), {
    name: "IndexError",
    message: "transpose: dim 3 is out of range for a 3-d tensor (expected -3..2)",
  });
  throws(() => tensor([[1, 2]]).expand(3, 3), {
    name: "ShapeError",
    message: "expand: cannot expand shape (1, 2) to (3, 3): dim 1 is 2, not 1",
  });
  throws(() => cat([zeros([2, 3]), zeros([2, 4])]), {
    name: "ShapeError",
    message:
      "cat: tensor 1 has shape (2, 4) but tensor 0 has (2, 3); shapes must match except in dim 0",
  });
  throws(() => stack([zeros([2]), zeros([3])]), {
    name: "ShapeError",
    message: "stack: tensor 1 has shape (3), tensor 0 has (2)",
  });
  throws(() => arange(5).split([2, 2]), {
    name: "ShapeError",
    message: "split: sizes [2, 2] sum to 4, but dim 0 has size 5",
  });
  throws(() => arange(5).slice(0, 0, 5, 0), RangeError);
  throws(() => a.t(), { name: "ShapeError" });
  throws(() => tensor([1]).mT, {
    name: "ShapeError",
    message: "mT: expects at least 2 dims, got shape (1)",
  });
  throws(() => a.unsqueeze(4), { name: "IndexError" });
});

Deno.test("views of views keep autograd correct", () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  x.t().slice(0, 1).reshape(-1).mul(tensor([1, 10, 100, 1000])).sum().backward();
  assertClose(x.grad!, [[0, 1, 100], [0, 10, 1000]]);
});
