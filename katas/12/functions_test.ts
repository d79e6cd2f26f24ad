/**
 * Kata 12, steps 12.1–12.4: GPT-2's small functions. Run `deno test katas/12`.
 * Each is compared with a float64 reference written with plain loops
 * (`_checks.ts`).
 *
 * @module
 */

import { equal, ok } from "node:assert/strict";
import { Generator, randn, tensor } from "../../mod.ts";
import {
  assertTensor,
  build,
  plain,
  refGelu,
  refLayerNorm,
  refMatmul,
  refSoftmax,
  TINY_PARAMS,
} from "./_checks.ts";
import { ffn, gelu, layerNorm, linear, softmax } from "./functions.ts";

const g = () => new Generator(12);

Deno.test("12.1 gelu: GPT-2's tanh form 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) on −6..6", () => {
  const xs = Array.from({ length: 49 }, (_, i) => -6 + i * 0.25);
  assertTensor(
    "12.1 gelu(x) (the tanh form; PyTorch's default GELU uses erf and differs by up to 5e-4)",
    gelu(tensor(xs)),
    build([xs.length], (i) => refGelu(xs[i])),
    2e-6,
  );
});

Deno.test("12.1 gelu: elementwise on a (3, 4) tensor, the shape kept", () => {
  const x = randn([3, 4], { generator: g() });
  const xs = x.dataSync();
  assertTensor("12.1 gelu(x) of shape (3, 4)", gelu(x), build([3, 4], (i) => refGelu(xs[i])));
});

Deno.test("12.2 softmax: over the last axis of a (2, 3, 5) tensor", () => {
  const x = randn([2, 3, 5], { generator: g() }).mul(3);
  const ref = refSoftmax(plain("x", x));
  assertTensor("12.2 softmax(x) (each row of the last axis sums to 1)", softmax(x), ref);
});

Deno.test("12.2 softmax: subtracts each row's own max (logits of 1000 and of −1000 in one tensor)", () => {
  const x = tensor([[1000, 1001, 1002], [-1000, -999, -998]]);
  const out = plain("12.2 softmax", softmax(x));
  ok(
    Array.from(out.data).every(Number.isFinite),
    `12.2 softmax([[1000, 1001, 1002], [-1000, -999, -998]]) gave ${
      Array.from(out.data)
    }: exp overflows (or every entry underflows) unless each row's max is subtracted first`,
  );
  const row = refSoftmax({ data: [0, 1, 2], shape: [3] }).data;
  assertTensor("12.2 softmax of large logits", softmax(x), build([2, 3], (i) => row[i % 3]));
});

Deno.test("12.3 layerNorm: rows of a (4, 6) tensor, biased variance, then gain and bias", () => {
  const gen = g();
  const x = randn([4, 6], { generator: gen }).mul(2).add(1);
  const ln = { g: randn([6], { generator: gen }), b: randn([6], { generator: gen }) };
  const ref = refLayerNorm(plain("x", x), ln.g.dataSync(), ln.b.dataSync());
  assertTensor(
    "12.3 layerNorm(x) (variance divided by n, as np.var; not n − 1)",
    layerNorm(x, ln),
    ref,
  );
});

Deno.test("12.3 layerNorm: eps goes inside the square root (a row with a tiny variance)", () => {
  const x = tensor([[0, 1e-3, 0, 1e-3], [3, 3, 3, 3]]);
  const ln = { g: tensor([1, 2, 3, 4]), b: tensor([0.5, 0.5, 0.5, 0.5]) };
  const ref = refLayerNorm(plain("x", x), [1, 2, 3, 4], [0.5, 0.5, 0.5, 0.5]);
  assertTensor("12.3 layerNorm: (x − mean) / √(var + eps) · g + b", layerNorm(x, ln), ref, 1e-4);
});

Deno.test("12.3 layerNorm: normalises the last axis of a (2, 3, 4) tensor", () => {
  const gen = g();
  const x = randn([2, 3, 4], { generator: gen });
  const ln = { g: randn([4], { generator: gen }), b: randn([4], { generator: gen }) };
  const ref = refLayerNorm(plain("x", x), ln.g.dataSync(), ln.b.dataSync());
  assertTensor("12.3 layerNorm over the last axis", layerNorm(x, ln), ref);
});

Deno.test("12.4 linear: x @ w + b with w stored [in, out] (5, 4) @ (4, 3) + (3)", () => {
  const gen = g();
  const x = randn([5, 4], { generator: gen });
  const p = { w: randn([4, 3], { generator: gen }), b: randn([3], { generator: gen }) };
  const xw = refMatmul(plain("x", x), plain("w", p.w));
  const b = p.b.dataSync();
  const out = linear(x, p);
  equal(
    plain("12.4 linear", out).shape.join(","),
    "5,3",
    "12.4 linear: (5, 4) @ w [4, 3] must give (5, 3); GPT-2 stores w as [in, out], use it as stored",
  );
  assertTensor("12.4 linear(x)", out, build([5, 3], (i) => xw.data[i] + b[i % 3]));
});

Deno.test("12.4 ffn: up to 4·C, GELU, back to C (the fixture's first block, T 3, C 64)", () => {
  const mlp = TINY_PARAMS.blocks[0].mlp;
  const x = randn([3, 64], { generator: g() });
  const up = refMatmul(plain("x", x), plain("c_fc.w", mlp.cFc.w));
  const bFc = mlp.cFc.b.dataSync(), bProj = mlp.cProj.b.dataSync();
  const a = build([3, 256], (i) => refGelu(up.data[i] + bFc[i % 256]));
  const down = refMatmul(a, plain("c_proj.w", mlp.cProj.w));
  assertTensor(
    "12.4 ffn(x) = linear(gelu(linear(x, c_fc)), c_proj)",
    ffn(x, mlp),
    build([3, 64], (i) => down.data[i] + bProj[i % 64]),
    1e-4,
  );
});
