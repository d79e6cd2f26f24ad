import { equal, ok } from "node:assert/strict";
import { geluSimd, simdGelu, simdGeluBackward } from "./gelu_simd.ts";
import { GELU_CONSTANT_BYTES, GELU_CONSTANTS, geluModuleBytes } from "./gelu_wat.ts";
import { geluErf, geluErfGrad } from "./math.ts";

const U = 2 ** -24;

/**
 * erfc(z) for z ≥ 0 in float64, a reference independent of the kernels' fit: 1 − erf by the
 * all-positive series erf(z) = 2/√π·e^{−z²}·Σ (2z²)ⁿ·z/(1·3···(2n+1)) below z = 2, the
 * continued fraction e^{−z²}/√π · 1/(z + ½/(z + 1/(z + 3/2/(z + ...)))) from 2 on.
 */
function erfcRef(z: number): number {
  if (z < 2) {
    let term = z, sum = z;
    for (let n = 1; n < 200 && term > 1e-18 * sum; n++) {
      term *= 2 * z * z / (2 * n + 1);
      sum += term;
    }
    return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
  }
  let k = z;
  for (let n = 120; n >= 1; n--) k = z + n / 2 / k;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * k);
}

/** Φ(x) and GELU′(x) = Φ(x) + x·φ(x), from {@link erfcRef}, relatively accurate in both tails. */
function cdfRef(x: number): number {
  const tail = 0.5 * erfcRef(Math.abs(x) * Math.SQRT1_2);
  return x < 0 ? tail : 1 - tail;
}
const pdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** The float32 points of [lo, hi] at step h, with the float32 rounding of each. */
function grid(lo: number, hi: number, h: number): Float32Array {
  return Float32Array.from({ length: Math.floor((hi - lo) / h) + 1 }, (_, i) => lo + i * h);
}

Deno.test("the float64 erfc reference agrees with CPython's math.erfc", () => {
  // math.erfc(z) for z = 0.1, 1, 1.99, 2, 3.5, 7 (Debian's CPython 3)
  const want = [
    [0.1, 0.8875370839817152],
    [1, 0.15729920705028513],
    [1.99, 0.004888586800383003],
    [2, 0.004677734981047265],
    [3.5, 7.430983723414128e-7],
    [7, 4.183825607779414e-23],
  ];
  for (const [z, e] of want) ok(Math.abs(erfcRef(z) / e - 1) < 1e-13, `erfc(${z}) ${erfcRef(z)}`);
});

Deno.test("SIMD GELU is available in Deno", () => {
  ok(geluSimd);
});

/**
 * The kernels' bound, in units of 2^-24 relative: Numerical Recipes' fit is within 1.2e-7 (2U),
 * and float32 arithmetic (t, P(t) by Horner, the final products) adds up to about 4U more
 * (measured worst: 5.95U forward, 5.73U backward, 3 ulps).
 */
const TOL = 7 * U;

Deno.test("SIMD GELU and its backward are within 3.5 ulps of float64 x·Φ(x) over [-12, 12]", () => {
  const x = grid(-12, 12, 1 / 2048); // 49,153 points
  const n = x.length, y = new Float32Array(n), d = new Float32Array(n);
  simdGelu(x, 0, y, 0, n);
  simdGeluBackward(new Float32Array(n).fill(1), 0, x, 0, d, 0, n);
  let worstY = 0, worstD = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i], cdf = cdfRef(v), want = v * cdf, dWant = cdf + v * pdf(v);
    if (want !== 0) worstY = Math.max(worstY, Math.abs(y[i] - want) / Math.abs(want));
    // the gradient cancels near x = −0.75: measured against the size of its terms
    worstD = Math.max(worstD, Math.abs(d[i] - dWant) / (Math.abs(cdf) + Math.abs(v * pdf(v))));
  }
  ok(worstY <= TOL, `forward: worst relative error ${worstY / U} U`);
  ok(worstD <= TOL, `backward: worst error ${worstD / U} U of its terms`);
});

Deno.test("SIMD GELU agrees with math.ts's scalar loops, at any offsets", () => {
  const x = grid(-11, 11, 1 / 2048), n = x.length, g = grid(-3, 3, 6 / (n - 1)).subarray(0, n);
  const y = new Float32Array(n + 5).fill(7), d = new Float32Array(n + 5).fill(7);
  simdGelu(x, 0, y, 2, n); // offsets, and elements outside the range untouched
  simdGeluBackward(g, 0, x, 0, d, 3, n);
  for (let i = 0; i < n; i++) {
    const v = x[i], wy = Math.fround(geluErf(v)), wd = Math.fround(g[i] * geluErfGrad(v));
    // both within TOL of the truth; the gradient measured against the size of its terms
    const terms = Math.abs(g[i]) * (cdfRef(v) + Math.abs(v * pdf(v)));
    ok(Math.abs(y[i + 2] - wy) <= TOL * Math.abs(wy), `gelu(${v}): ${y[i + 2]} vs ${wy}`);
    ok(Math.abs(d[i + 3] - wd) <= TOL * terms + 1e-45, `gelu'(${v}): ${d[i + 3]} vs ${wd}`);
  }
  equal(y[0] + y[1] + y[n + 2] + y[n + 3] + y[n + 4], 35);
  equal(d[0] + d[1] + d[2] + d[n + 3] + d[n + 4], 35);
});

Deno.test("SIMD GELU: special values as PyTorch (NaN at -Inf forward and at ±Inf backward)", () => {
  const x = new Float32Array([NaN, Infinity, -Infinity, 0, -0, 1e-40, -40, 40, -10]);
  const n = x.length, y = new Float32Array(n), d = new Float32Array(n);
  simdGelu(x, 0, y, 0, n);
  simdGeluBackward(new Float32Array(n).fill(1), 0, x, 0, d, 0, n);
  ok(Number.isNaN(y[0]) && y[1] === Infinity && Number.isNaN(y[2]));
  ok(Object.is(y[3], 0) && Object.is(y[4], -0) && Object.is(y[6], -0) && y[7] === 40);
  ok(Math.abs(y[8] / -7.619853024160527e-23 - 1) < TOL); // -10·Φ(-10): relative in the tail
  ok(Number.isNaN(d[0]) && Number.isNaN(d[1]) && Number.isNaN(d[2]));
  ok(Math.abs(d[3] - 0.5) <= U && d[3] === d[4] && d[6] === 0 && d[7] === 1);
});

Deno.test("SIMD GELU runs over several chunks and odd lengths", () => {
  for (const n of [1, 7, 8, 9, 8191, 8192, 8193, 20_001]) {
    const x = grid(-4, 4, 8 / n).subarray(0, n), y = new Float32Array(n);
    simdGelu(x, 0, y, 0, n);
    for (const i of [0, n >> 1, n - 1]) {
      ok(Math.abs(y[i] - geluErf(x[i])) <= TOL * Math.abs(geluErf(x[i])) + 1e-45, `n ${n} at ${i}`);
    }
  }
});

Deno.test("the GELU module without fused multiply-add (Veltkamp's split) is as accurate", () => {
  const e = new WebAssembly.Instance(new WebAssembly.Module(geluModuleBytes(false))).exports;
  const mem = e.mem as WebAssembly.Memory, chunk = 1024, at = GELU_CONSTANT_BYTES / 4;
  mem.grow(1);
  const h = new Float32Array(mem.buffer);
  GELU_CONSTANTS.forEach((v, i) => h.fill(v, 4 * i, 4 * i + 4));
  const gelu = e.gelu as (x: number, o: number, n: number) => void;
  const back = e.geluBackward as (g: number, x: number, o: number, n: number) => void;
  const x = grid(-12, 12, 24 / (chunk - 1)), xAt = at, gAt = at + chunk, oAt = at + 2 * chunk;
  h.set(x, xAt);
  h.fill(1, gAt, gAt + chunk);
  gelu(4 * xAt, 4 * oAt, chunk);
  const y = h.slice(oAt, oAt + chunk);
  back(4 * gAt, 4 * xAt, 4 * oAt, chunk);
  for (let i = 0; i < chunk; i++) {
    const v = x[i], cdf = cdfRef(v), want = v * cdf, terms = cdf + Math.abs(v * pdf(v));
    ok(Math.abs(y[i] - want) <= TOL * Math.abs(want), `gelu(${v}): ${y[i]} vs ${want}`);
    ok(Math.abs(h[oAt + i] - (cdf + v * pdf(v))) <= TOL * terms, `gelu'(${v})`);
  }
});
