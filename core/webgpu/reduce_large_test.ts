/**
 * Reductions over millions of elements on both devices, against float64.
 * The data is a 1,000-value pattern (uniform in [0, 1), float32) repeated by
 * `expand(...).contiguous()` on the device, so nothing bigger than 4 KB is
 * uploaded; element i is base[i % 1000] and the float64 answers follow.
 *
 * Tolerances are bounds, not guesses: a sum whose every element passes through
 * at most D float32 additions has |error| ≤ γ_D·Σ|xᵢ|, γ_D = D·u/(1 − D·u),
 * u = 2⁻²⁴; the WebGPU kernel's D is `sumRoundingDepth` (kernels/reduce.ts).
 * The CPU sums in float64 and rounds once: |error| ≤ u·|s| + γ⁽⁶⁴⁾_n·Σ|xᵢ|.
 */

import { equal, ok } from "node:assert/strict";
import { sumRoundingDepth } from "../../kernels/reduce.ts";
import { rowThreads } from "../../kernels/launch.ts";
import type { Device } from "../dtype.ts";
import { full, ones, tensor } from "../ops/creation.ts";
import type { Tensor } from "../tensor.ts";
import { webgpuInfo } from "./device.ts";
import { randomFloats, skipReason } from "./test_util.ts";
import { initWebGPU } from "./init.ts";

const P = 1000;
const BASE = randomFloats(P, 2024, 0, 1);
const U = 2 ** -24;

function gamma(d: number, u = U): number {
  return d * u / (1 - d * u);
}

/** The whole pattern tensor of `n` elements (a multiple of P) with `shape`, made on `device`. */
function pattern(n: number, shape: number[], device: Device): Tensor {
  const base = tensor(BASE, { device }).reshape([1, P]);
  return base.expand([n / P, P]).contiguous().reshape(shape);
}

/** float64 sums of pattern(n) viewed as (outer, len, inner) along len, and their Σ|x| (= sum here). */
function exactSums(outer: number, len: number, inner: number): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < len; r++) {
      const row = (o * len + r) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i] += BASE[(row + i) % P];
    }
  }
  return out;
}

async function threadsOn(device: Device): Promise<number> {
  return device === "webgpu" ? rowThreads((await webgpuInfo()).isFallbackAdapter) : 0;
}

/** Asserts each sum is within the device's bound of the float64 one (values ≥ 0: Σ|x| = s). */
function checkSums(got: ArrayLike<number>, exact: Float64Array, len: number, threads: number) {
  equal(got.length, exact.length);
  const bound = (s: number) =>
    threads === 0 ? U * s + gamma(len, 2 ** -53) * s : gamma(sumRoundingDepth(len, threads)) * s;
  let worst = 0;
  for (let i = 0; i < exact.length; i++) {
    const err = Math.abs(got[i] - exact[i]);
    worst = Math.max(worst, err / exact[i]);
    if (!(err <= bound(exact[i]))) {
      throw new Error(
        `sum ${i} of ${exact.length} (len ${len}): got ${got[i]}, float64 ${exact[i]}, ` +
          `|error| ${err} > bound ${bound(exact[i])}`,
      );
    }
  }
  return worst;
}

const CASES: { n: number; shape: number[]; dim?: number }[] = [
  { n: 4_000_000, shape: [4_000_000] },
  { n: 20_000_000, shape: [20_000_000] },
  { n: 4_000_000, shape: [4, 1_000_000], dim: 1 },
  { n: 4_000_000, shape: [4, 1_000_000], dim: 0 },
  { n: 4_000_000, shape: [1_000_000, 4], dim: 0 },
  { n: 4_000_000, shape: [1_000_000, 4], dim: 1 },
  { n: 20_000_000, shape: [4, 5_000_000], dim: 1 },
];

for (const device of ["cpu", "webgpu"] as Device[]) {
  const gpu = device === "webgpu";
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({
      name: `${device}: ${name}`,
      ignore: gpu && skipReason !== null,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        if (gpu) await initWebGPU();
        await fn();
      },
    });

  test("sum of 4M and 20M elements, whole and along each dim, within the float32 bound", async () => {
    const threads = await threadsOn(device);
    for (const { n, shape, dim } of CASES) {
      const x = pattern(n, shape, device);
      const got = await (dim === undefined ? x.sum() : x.sum(dim)).data();
      const outer = dim === undefined ? 1 : shape.slice(0, dim).reduce((a, b) => a * b, 1);
      const len = dim === undefined ? n : shape[dim];
      const inner = dim === undefined ? 1 : n / (outer * len);
      checkSums(got, exactSums(outer, len, inner), len, threads);
      x.dispose();
    }
  });

  test("sum of 2,097,152 and 20,000,000 ones is exact; mean of 1e7 × 0.1 is 0.1", async () => {
    equal(await ones([2_097_152], { device }).sum().item(), 2_097_152);
    equal(await ones([20_000_000], { device }).sum().item(), 20_000_000);
    const m = await full([10_000_000], 0.1, { device }).mean().item();
    const f = Math.fround(0.1);
    const d = gpu ? sumRoundingDepth(10_000_000, await threadsOn(device)) : 10_000_000;
    ok(Math.abs(m - f) <= (gpu ? gamma(d) : U + gamma(d, 2 ** -53)) * f + U * f, `mean ${m}`);
  });

  test("max, min, argmax, argmin, logsumexp of 4M elements (ties go to the first)", async () => {
    const x = pattern(4_000_000, [4_000_000], device);
    const hi = BASE.reduce((a, b) => Math.max(a, b)), lo = BASE.reduce((a, b) => Math.min(a, b));
    equal(await x.max().item(), hi);
    equal(await x.min().item(), lo);
    equal(await x.argmax().item(), BASE.indexOf(hi)); // 4,000 ties: the first
    equal(await x.argmin().item(), BASE.indexOf(lo));
    const rows = x.reshape([2, 2_000_000]);
    const { values, indices } = rows.max(1);
    equal([...await values.data()].join(), `${hi},${hi}`);
    equal([...await indices.data()].join(), `${BASE.indexOf(hi)},${BASE.indexOf(hi)}`);
    const lse = Math.log(4000 * BASE.reduce((a, v) => a + Math.exp(v), 0));
    const got = await x.logsumexp(0).item();
    ok(Math.abs(got - lse) <= 1e-6 * lse, `logsumexp ${got} vs ${lse}`);
    x.dispose();
  });
}
