/**
 * pow's special cases and the activations' accuracy on both devices, against
 * PyTorch 1.13 (testdata/numerics/*.json, made by testdata/gen_numerics.py).
 *
 * Tolerances, with u = 2⁻²⁴ (half an ulp of 1):
 * - Non-finite results and pow's zeros match exactly (NaN as NaN, the sign of 0 for pow).
 * - Finite pow values: u·(16 + 4|w|), w the exponent of exp2 in pow = exp2(b·log2|a|): WGSL
 *   specifies exp2 to 3 + 2|w| ulp, and w itself is rounded.
 * - Activations against the fixture's exact float64 values, relative to the size of the terms
 *   (|f(x)| forward; |Φ| + |x·Φ′-term| for the GELU gradients, which cancel near x ≈ −0.75):
 *   u·(16 + 4|w|), w the argument of the one exp in the formula (x²/2 for GELU, 2|u(x)| for its
 *   tanh form), so the far tails, 1e-37 at x = −10, are held to a relative bound.
 * - tanh′ is 1 − y² from the output, as in PyTorch: 16u absolute (y within 8u relative).
 * - Against torch.float32: its ½x(1 + erf) and ½x(1 + tanh u) round 1 ± t to u, and its
 *   gradients multiply that by up to |x·u′(x)|: 8u·(1 + |x|) forward, 8u·(1 + |x|³) gradients.
 */

import { equal, ok } from "node:assert/strict";
import type { Device } from "../dtype.ts";
import { ones, tensor } from "../ops/creation.ts";
import { initWebGPU } from "./init.ts";
import { skipReason } from "./test_util.ts";

const U = 2 ** -24;
const C = Math.sqrt(2 / Math.PI), A = 0.044715;

type Raw = number | string;
const decode = (v: Raw): number =>
  v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v as number;
async function fixture(name: string) {
  const url = new URL(`../../testdata/numerics/${name}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

/** Exact for non-finite and (when `zeroSign`) zero; else |got − want| ≤ tol. */
function check(what: string, got: number, want: number, tol: number, zeroSign = false): void {
  const exact = !Number.isFinite(want) || (zeroSign && want === 0);
  const ok = Number.isNaN(want)
    ? Number.isNaN(got)
    : exact
    ? Object.is(got, want)
    : Math.abs(got - want) <= tol;
  if (!ok) throw new Error(`${what}: got ${got}, PyTorch ${want} (tolerance ${tol})`);
}

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

  test("pow: ±0, ±1, ±Inf, NaN, negative bases, and both gradients match PyTorch", async () => {
    const fx = await fixture("pow_edges");
    const as: number[] = fx.a.map(decode), bs: number[] = fx.b.map(decode);
    const rows = as.length, cols = bs.length;
    const av = as.flatMap((v) => Array(cols).fill(v)), bv = rows ? as.flatMap(() => bs) : [];
    const a = tensor(Float32Array.from(av), { device, requiresGrad: true });
    const b = tensor(Float32Array.from(bv), { device, requiresGrad: true });
    const out = a.pow(b); // (rows·cols): a[i] ** b[j] at i·cols + j
    out.backward(ones([rows * cols], { device }));
    const [o, ga, gb] = [await out.data(), await a.grad!.data(), await b.grad!.data()];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j, x = as[i], y = bs[j];
        const w = Math.max(
          Math.abs(y * Math.log2(Math.abs(x))),
          Math.abs((y - 1) * Math.log2(Math.abs(x))),
        );
        const tol = (v: number) => U * (16 + 4 * (Number.isFinite(w) ? w : 0)) * Math.abs(v);
        const at = `${x} ** ${y}`;
        const want = decode(fx.out[i][j]),
          da = decode(fx.grad_a[i][j]),
          db = decode(fx.grad_b[i][j]);
        check(at, o[k], want, tol(want), true);
        check(`d(${at})/da`, ga[k], da, tol(da), true);
        check(`d(${at})/db`, gb[k], db, tol(db), true);
      }
    }
    // the cases of the issue, spelled out
    equal(o[0], 1); // 0 ** 0
    equal(ga[0], 0);
    equal(gb[0], 0);
    equal(o[3], Infinity); // 0 ** -1
  });

  test("pow with a scalar exponent 0: the gradient at 0 is 0, not NaN", async () => {
    const x = tensor([0, 2, -3], { device, requiresGrad: true });
    const y = x.pow(0);
    y.sum().backward();
    equal([...await y.data()].join(), "1,1,1");
    equal([...await x.grad!.data()].join(), "0,0,0");
  });

  for (const fn of ["tanh", "gelu", "gelu_tanh"] as const) {
    test(`${fn}: forward and gradient over [-10, 10] match PyTorch (relative in the tails)`, async () => {
      const fx = await fixture("activations");
      const xs: number[] = fx.x.map(decode);
      const rec = fx[fn];
      const x = tensor(Float32Array.from(xs), { device, requiresGrad: true });
      const y = fn === "tanh"
        ? x.tanh()
        : x.gelu(fn === "gelu_tanh" ? { approximate: "tanh" } : {});
      y.backward(ones([xs.length], { device }));
      const [yv, gv] = [await y.data(), await x.grad!.data()];
      for (let i = 0; i < xs.length; i++) {
        const v = xs[i];
        const ye = decode(rec.exact[i]), ge = decode(rec.grad_exact[i]);
        const y32 = decode(rec.f32[i]), g32 = decode(rec.grad_f32[i]);
        const at = `${fn}(${v})`;
        if (!Number.isFinite(v)) {
          check(at, yv[i], y32, 0);
          check(`${fn}'(${v})`, gv[i], g32, 0);
          continue;
        }
        const w = fn === "gelu"
          ? v * v / 2
          : fn === "gelu_tanh"
          ? 2 * Math.abs(C * (v + A * v ** 3))
          : 0;
        const rel = U * (16 + 4 * w);
        const cdf = v === 0 ? 0.5 : ye / v; // Φ(x), or σ(2u) for the tanh form
        check(`${at} vs exact`, yv[i], ye, rel * Math.abs(ye));
        if (fn === "tanh") check(`${fn}'(${v}) vs exact`, gv[i], ge, 16 * U);
        else check(`${fn}'(${v}) vs exact`, gv[i], ge, rel * (Math.abs(cdf) + Math.abs(ge - cdf)));
        const a = Math.abs(v);
        check(`${at} vs torch.float32`, yv[i], y32, 8 * U * (1 + a));
        check(`${fn}'(${v}) vs torch.float32`, gv[i], g32, 8 * U * (1 + a ** 3));
      }
    });
  }

  test("GELU tanh form at x = -5: backward -1.546e-6 (torch.float32 -2.01e-6 by cancellation)", async () => {
    const x = tensor([-5], { device, requiresGrad: true });
    x.gelu({ approximate: "tanh" }).sum().backward();
    const g = (await x.grad!.data())[0];
    ok(Math.abs(g / -1.5463619879596227e-6 - 1) < 1e-5, `${g}`);
  });
}
