/**
 * The WGSL sin, cos and log1p (kernels/sin_cos_log1p.ts) against float64 `Math` rounded to
 * float32, over wide ranges: sin/cos on |x| <= 100 and at multiples of π/4, log1p from 1e-30
 * to 1e30 and next to −1. Measured on llvmpipe: sin/cos at most 1.2e-7 absolute, log1p 1.6e-7
 * relative (about an ulp); the bounds below leave a few ulp of room for other GPUs.
 */

import { ok } from "node:assert/strict";
import { tensor } from "../ops/creation.ts";
import { gpuTensorTest, randomFloats } from "./test_util.ts";

async function worst(
  op: "sin" | "cos" | "log1p",
  xs: Float32Array,
  ref: (x: number) => number,
  relative: boolean,
): Promise<number> {
  const got = await tensor(xs, { device: "webgpu" })[op]().data();
  let err = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = Math.fround(ref(xs[i]));
    if (Number.isNaN(want) || !Number.isFinite(want)) {
      ok(Object.is(got[i], want), `${op}(${xs[i]}): got ${got[i]}, expected ${want}`);
      continue;
    }
    const e = Math.abs(got[i] - want) / (relative ? Math.max(Math.abs(want), 1e-38) : 1);
    err = Math.max(err, e);
  }
  return err;
}

gpuTensorTest("sin and cos: within 5e-7 of float64 on |x| <= 100, NaN at ±Inf", async () => {
  const xs = new Float32Array([
    ...randomFloats(2000, 7, -100, 100),
    ...Array.from({ length: 33 }, (_, i) => (i - 16) * Math.PI / 4),
    0,
    -0,
    1e-20,
    NaN,
    Infinity,
    -Infinity,
  ]);
  const s = await worst("sin", xs, Math.sin, false);
  const c = await worst("cos", xs, Math.cos, false);
  ok(s <= 5e-7 && c <= 5e-7, `sin ${s}, cos ${c}`);
});

gpuTensorTest("log1p: within 6e-7 relative of float64 from 1e-30 to 1e30, −Inf at −1", async () => {
  const tiny = Array.from({ length: 60 }, (_, i) => 10 ** (-30 + i / 2));
  const xs = new Float32Array([
    ...tiny,
    ...tiny.map((v) => -v),
    ...randomFloats(500, 3, -0.999, 3),
    -0.99999994,
    -0.5,
    1e30,
    -1,
    -2,
    NaN,
    Infinity,
    0,
  ]);
  const e = await worst("log1p", xs, Math.log1p, true);
  ok(e <= 6e-7, `log1p relative error ${e}`);
});
