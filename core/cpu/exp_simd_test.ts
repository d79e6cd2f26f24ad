import { deepEqual, ok } from "node:assert/strict";
import { expInPlace, expScratch, expSimd } from "./exp_simd.ts";

Deno.test("SIMD exp is within 2 double ulps of Math.exp on [-700, 709]", () => {
  ok(expSimd);
  const n = 100_003, x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = -700 + (1409 * i) / (n - 1) + (i % 7) * 1e-9;
  const s = expScratch(n);
  s.set(x);
  expInPlace(n);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(s[i] / Math.exp(x[i]) - 1));
  ok(worst <= 2 * 2 ** -52, `worst relative error ${worst}`);
});

Deno.test("SIMD exp rounded to float32 gives Math.exp's floats on softmax-like arguments", () => {
  const n = 50_001, x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = -30 * Math.abs(Math.sin(i * 12.9898)) * (i % 3);
  const s = expScratch(n);
  s.set(x);
  expInPlace(n);
  const got = Float32Array.from(s.subarray(0, n)), want = Float32Array.from(x, Math.exp);
  deepEqual(Array.from(got), Array.from(want));
});

Deno.test("SIMD exp: special and clamped values", () => {
  const s = expScratch(12);
  s.set([0, -0, NaN, -Infinity, -800, Infinity, 1e-300, 1, 42]);
  expInPlace(9);
  ok(s[0] === 1 && s[1] === 1 && Number.isNaN(s[2]));
  ok(Math.abs(s[3] / Math.exp(-700) - 1) < 1e-15 && s[3] === s[4]); // clamped below
  ok(Math.abs(s[5] / Math.exp(709) - 1) < 1e-15); // clamped above
  ok(s[6] === 1 && Math.abs(s[7] / Math.E - 1) < 1e-15);
  ok(Math.abs(s[8] / Math.exp(42) - 1) < 1e-15);
});
