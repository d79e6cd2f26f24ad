import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { assertClose } from "../testing/assert_close.ts";
import { tensor } from "./creation.ts";
import { checkGrads, rnd } from "./test_inputs.ts";
import { cos, log10, log1p, rsqrt, sin, square } from "./unary_math.ts";

const xs = [-7, -1.5, -0.25, 0, 0.5, 3, 40];

Deno.test("sin, cos, log1p, log10 and rsqrt match float64 Math to float32 accuracy", () => {
  const x = tensor(xs);
  assertClose(sin(x), xs.map(Math.sin), { rtol: 2e-7, atol: 1e-7 });
  assertClose(cos(x), xs.map(Math.cos), { rtol: 2e-7, atol: 1e-7 });
  const p = [1e-8, 1e-4, 0.5, 1, 10, 1000];
  assertClose(log1p(tensor(p)), p.map(Math.log1p), { rtol: 2e-7 });
  assertClose(log1p(tensor([-1e-6])), [Math.log1p(-1e-6)], { rtol: 2e-7 });
  assertClose(log10(tensor(p)), p.map(Math.log10), { rtol: 3e-7, atol: 1e-7 });
  assertClose(rsqrt(tensor(p)), p.map((v) => 1 / Math.sqrt(v)), { rtol: 2e-7 });
});

Deno.test("special values: NaN and ±Inf as PyTorch", () => {
  const s = tensor([NaN, Infinity, -Infinity, 0, -1]);
  assertClose(sin(s), [NaN, NaN, NaN, 0, Math.fround(Math.sin(-1))]);
  assertClose(log1p(s), [NaN, Infinity, NaN, 0, -Infinity]);
  assertClose(log10(s), [NaN, Infinity, NaN, -Infinity, NaN]);
  assertClose(rsqrt(s), [NaN, 0, NaN, Infinity, NaN]);
  assertClose(square(s), [NaN, Infinity, Infinity, 0, 1]);
});

Deno.test("int and bool inputs: float ops promote to float32, square keeps int32", () => {
  const i = tensor([-3, 0, 2], { dtype: "int32" });
  equal(sin(i).dtype, "float32");
  equal(log10(tensor([10, 100], { dtype: "int32" })).dtype, "float32");
  const sq = square(i);
  equal(sq.dtype, "int32");
  deepEqual(sq.toArraySync(), [9, 0, 4]);
  assertClose(cos(tensor([true, false])), [Math.cos(1), 1]);
});

Deno.test("gradients of sin, cos, log1p, log10, rsqrt and square", () => {
  for (const f of [sin, cos, square]) checkGrads(f, [rnd([3, 4])]);
  const pos = () => rnd([5]).abs().add(0.2).detach();
  for (const f of [log1p, log10, rsqrt]) {
    const p = pos();
    p.requiresGrad = true;
    checkGrads(f, [p]);
  }
  const x = tensor([0.5, 2], { requiresGrad: true });
  log10(x).sum().backward();
  assertClose(x.grad!, [1 / (0.5 * Math.LN10), 1 / (2 * Math.LN10)], { rtol: 1e-6 });
  equal(sin(x).gradFn, "sin");
});

Deno.test("the unary math ops refuse non-tensors; Tensor methods delegate", () => {
  throws(() => sin(1 as never), {
    name: "TypeError",
    message: "sin: input must be a Tensor, got 1",
  });
  throws(() => log10(undefined as never), {
    name: "TypeError",
    message: "log10: input must be a Tensor, got undefined",
  });
  const t = tensor([0.25, 4]);
  assertClose(t.rsqrt(), [2, 0.5]);
  assertClose(t.square(), [0.0625, 16]);
  assertClose(t.log10(), [Math.log10(0.25), Math.log10(4)], { rtol: 3e-7 });
  ok(Math.abs(t.sin().dataSync()[0] - Math.sin(0.25)) < 1e-7);
  ok(Math.abs(t.cos().dataSync()[1] - Math.cos(4)) < 1e-7);
  ok(Math.abs(t.log1p().dataSync()[0] - Math.log1p(0.25)) < 1e-7);
});
