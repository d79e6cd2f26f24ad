import { deepEqual, ok } from "node:assert/strict";
import type { AdamHyperParams } from "../backend.ts";
import { adamwKernel } from "./adamw.ts";
import { adamwSimd, simdAdamw } from "./adamw_simd.ts";

function values(n: number, seed: number, scale: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale;
  });
}

Deno.test("SIMD AdamW is available in Deno", () => ok(adamwSimd));

Deno.test("SIMD Adam and AdamW give the scalar kernel's floats bit for bit over three steps", () => {
  const cases: [number, Partial<AdamHyperParams>][] = [
    [1, { decoupled: true, weightDecay: 0.1 }],
    [7, { decoupled: true, weightDecay: 0 }],
    [16385, { decoupled: true, weightDecay: 0.1 }], // two chunks, an odd length
    [999, { decoupled: false, weightDecay: 0.01 }], // Adam's L2 decay
    [1000, { decoupled: false, weightDecay: 0 }],
  ];
  for (const [n, opts] of cases) {
    const p0 = values(n + 3, n, 2), g = values(n + 5, n + 1, 0.1);
    p0[n >> 1] = 0;
    g[(n >> 2) + 5] = 0;
    const run = (step: typeof adamwKernel) => {
      const p = p0.slice(), m = values(n + 1, 7, 0.01), v = values(n + 2, 8, 0.001).map(Math.abs);
      for (let t = 1; t <= 3; t++) {
        const hp = {
          step: t,
          lr: 1e-3,
          beta1: 0.9,
          beta2: 0.99,
          eps: 1e-8,
          weightDecay: 0,
          decoupled: true,
          ...opts,
        };
        step(p, 3, g, 5, m, 1, v, 2, n, hp);
      }
      return [p, m, v].map((a) => Array.from(a));
    };
    deepEqual(run(simdAdamw), run(adamwKernel), `n ${n} ${JSON.stringify(opts)}`);
  }
});
