import { deepEqual, equal, ok } from "node:assert/strict";
import { tensor } from "./ops/creation.ts";
import { Tensor } from "./tensor.ts";

Deno.test("float(), int() and nelement() are PyTorch's spellings of to() and numel()", () => {
  const x = tensor([-2.7, 0.5, 3.9]);
  const i = x.int();
  equal(i.dtype, "int32");
  deepEqual(i.toArraySync(), [-2, 0, 3]);
  const f = i.float();
  equal(f.dtype, "float32");
  deepEqual(f.toArraySync(), [-2, 0, 3]);
  equal(x.float(), x); // already float32: the tensor itself, so gradients flow
  equal(tensor([[1, 2, 3], [4, 5, 6]]).nelement(), 6);
  equal(tensor([]).nelement(), 0);
});

Deno.test("Tensor has a method for each op of issue 9's list that PyTorch has as a method", () => {
  const methods = [
    "topk",
    "sort",
    "argsort",
    "cumsum",
    "prod",
    "log10",
    "log1p",
    "sin",
    "cos",
    "rsqrt",
    "square",
    "amax",
    "amin",
    "norm",
    "isclose",
    "allclose",
    "allcloseSync",
    "all",
    "any",
    "select",
    "unbind",
    "narrow",
    "flip",
    "repeat",
    "float",
    "int",
    "nelement",
  ];
  for (const m of methods) {
    ok(typeof (Tensor.prototype as unknown as Record<string, unknown>)[m] === "function", m);
  }
});
