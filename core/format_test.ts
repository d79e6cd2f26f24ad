import { equal } from "node:assert/strict";
import { arange, tensor, zeros } from "./ops/creation.ts";

Deno.test("toString prints like PyTorch", () => {
  equal(
    tensor([[1, 2.5], [-3, 4]]).toString(),
    "tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]])",
  );
  equal(tensor([1, 2, 3]).toString(), "tensor([1., 2., 3.])");
  equal(tensor(0.5).toString(), "tensor(0.5000)");
  equal(tensor([1, 2], { dtype: "int32" }).toString(), "tensor([1, 2])");
  equal(tensor([true, false]).toString(), "tensor([ True, False])");
  equal(tensor([1e-5, 1]).toString(), "tensor([1.0000e-05, 1.0000e+00])");
  equal(tensor([NaN, Infinity, -0.5]).toString(), "tensor([    nan,     inf, -0.5000])");
  equal(zeros([0]).toString(), "tensor([])");
  equal(zeros([0, 3]).toString(), "tensor([], size=(0, 3))");
  equal(tensor([1, 2], { requiresGrad: true }).toString(), "tensor([1., 2.], requires_grad=True)");
  equal(
    tensor([1, 2], { requiresGrad: true }).mul(2).toString(),
    "tensor([2., 4.], grad_fn=<MulBackward>)",
  );
  equal(
    arange(8).reshape(2, 2, 2).toString(),
    "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
  );
});

Deno.test("toString summarises large tensors with ...", () => {
  const s = arange(2000).toString();
  equal(s, "tensor([   0,    1,    2, ..., 1997, 1998, 1999])");
});

Deno.test("async readback: data, item, toArray", async () => {
  const t = tensor([[1, 2], [3, 4]]).t();
  equal((await t.data()).join(","), "1,3,2,4");
  equal(await tensor([7]).item(), 7);
  equal(JSON.stringify(await t.toArray()), "[[1,3],[2,4]]");
});
