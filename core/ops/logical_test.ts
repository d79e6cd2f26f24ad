import { deepEqual, equal, throws } from "node:assert/strict";
import { loadFixture } from "../testing/fixture.ts";
import { fromFixture } from "../testing/op_suite.ts";
import { tensor, zeros } from "./creation.ts";
import { all, allclose, allcloseSync, any, isclose } from "./logical.ts";

Deno.test("all/any over one, several and all dims, any dtype, empty reductions", () => {
  const x = tensor([[1, 0, 2], [3, NaN, -1]]);
  deepEqual(all(x, 1).toArraySync(), [false, true]);
  deepEqual(any(x.eq(0), 0, { keepdim: true }).toArraySync(), [[false, true, false]]);
  equal(all(x).dtype, "bool");
  equal(all(x).itemSync(), 0);
  equal(any(x).itemSync(), 1);
  deepEqual(all(tensor([[true, true], [false, true]]), [0, 1]).toArraySync(), false);
  deepEqual(any(tensor([0, 0, 1], { dtype: "int32" })).toArraySync(), true);
  equal(all(zeros([0])).itemSync(), 1);
  equal(any(zeros([0])).itemSync(), 0);
  deepEqual(all(zeros([0, 3]), 0).toArraySync(), [true, true, true]);
  equal(x.all().itemSync(), 0);
  deepEqual(x.any(-1).toArraySync(), [true, true]);
});

Deno.test("isclose follows torch.isclose: tolerances, infinities, NaN, broadcasting, scalars", () => {
  const a = tensor([1, 1, 100, 0, NaN, Infinity, Infinity, -Infinity, 1e-9]);
  const b = tensor([1, 1.00001, 100.002, 1e-9, NaN, Infinity, -Infinity, -Infinity, 0]);
  // float32(1.00001) − 1 = 1.0014e-5 > 1e-8 + 1e-5·1.00001: not close, as in torch
  deepEqual(isclose(a, b).toArraySync(), [
    true,
    false,
    false,
    true,
    false,
    true,
    false,
    true,
    true,
  ]);
  deepEqual(isclose(tensor([1]), tensor([1.000005])).toArraySync(), [true]);
  deepEqual((isclose(a, b, { equalNan: true }).toArraySync() as boolean[])[4], true);
  deepEqual((isclose(a, b, { rtol: 0, atol: 0 }).toArraySync() as boolean[])[8], false);
  deepEqual(isclose(tensor([[1], [2]]), tensor([1, 2.5]), { atol: 0.6 }).toArraySync(), [
    [true, false],
    [false, true],
  ]);
  deepEqual(isclose(tensor([0.1, 0.2]), 0.1).toArraySync(), [true, false]);
  deepEqual(isclose(tensor([1, 2], { dtype: "int32" }), tensor([1, 3])).toArraySync(), [
    true,
    false,
  ]);
});

Deno.test("allclose and allcloseSync answer booleans, as torch.allclose on the fixtures", async () => {
  const cases = (await loadFixture("reduce")).cases.filter((c) => c.op === "allclose");
  equal(cases.length, 4);
  for (const c of cases) {
    const [a, b] = c.inputs.map((t) => fromFixture(t, "cpu"));
    const opts = { rtol: c.kwargs.rtol as number, atol: c.kwargs.atol as number };
    const o = { ...opts, equalNan: c.kwargs.equalNan as boolean };
    const want = Boolean(c.outputs[0].data[0]);
    equal(await allclose(a, b, o), want, c.name);
    equal(allcloseSync(a, b, o), want, c.name);
    equal(await a.allclose(b, o), want, c.name);
  }
  equal(allcloseSync(tensor([1, 2]), tensor([1, 2 + 1e-6])), true);
});

Deno.test("isclose and allclose check their arguments", () => {
  const a = tensor([1, 2]);
  throws(() => isclose(a, tensor([1, 2]), { equal_nan: true } as never), {
    name: "TypeError",
    message: "isclose: unknown option equal_nan; did you mean equalNan?",
  });
  throws(() => allcloseSync(a, a, { rtol: -1 }), {
    name: "RangeError",
    message: "allcloseSync: rtol must be a number >= 0, got -1",
  });
  throws(() => isclose(a, "1" as never), {
    name: "TypeError",
    message: /isclose: other must be a Tensor/,
  });
  throws(() => isclose(a, tensor([1, 2, 3])), { name: "ShapeError" });
  throws(() => all(a, 1), { name: "IndexError", message: /all: dim 1 is out of range/ });
  throws(() => any(a, 0, { keep: true } as never), {
    name: "TypeError",
    message: /any: unknown option keep/,
  });
});
