/**
 * The Adam/AdamW step of adamw.ts in WebAssembly SIMD: the same double operations, each
 * rounded to float32 where the scalar loop calls `Math.fround` (a demote and a promote), two
 * elements per `f64x2` vector, so the parameters and moments are the scalar loop's floats bit
 * for bit (and PyTorch 1.13's). About 2 ns an element instead of 10. Elements go through the
 * module's memory in chunks.
 *
 * @module
 */

import type { AdamHyperParams } from "../backend.ts";
import { wasmModule } from "./wasm_text.ts";

const f = Math.fround;

/** The step's constants, each splatted to 16 bytes at the start of memory, in this order. */
const NAMES = ["decay", "l2", "b1", "a1", "b2", "a2", "negStep", "bc2Sqrt", "eps"] as const;
const at = (name: (typeof NAMES)[number]) =>
  `i32.const 0  v128.load offset=${16 * NAMES.indexOf(name)}`;
const CONSTANT_BYTES = 16 * NAMES.length;

/** Rounds the f64x2 on the stack to float32 and back (`Math.fround` on both lanes). */
const R = "f32x4.demote_f64x2_zero  f64x2.promote_low_f32x4";
const load = (ptr: string) => `local.get ${ptr}  v128.load64_zero  f64x2.promote_low_f32x4`;
const store = "f32x4.demote_f64x2_zero  v128.store64_lane 0";

/**
 * `step(p, g, m, v, n)`: one step on n elements (rounded up to even) at byte addresses p, g, m,
 * v; with `l2`, Adam's `g + wd·p` instead of AdamW's `p·(1 − lr·wd)`.
 */
const source = (l2: boolean) => `
  i32.const 0  local.set $i
  loop
    ${load("$p")}  local.set $vp
    ${load("$g")}  local.set $vg
    ${
  l2
    ? `local.get $vg  ${at("l2")}  local.get $vp  f64x2.mul  f64x2.add  ${R}  local.set $vg`
    : `local.get $vp  ${at("decay")}  f64x2.mul  ${R}  local.set $vp`
}
    ;; m = f(f(m·b1) + a1·g)
    ${load("$m")}  ${at("b1")}  f64x2.mul  ${R}  ${at("a1")}  local.get $vg  f64x2.mul  f64x2.add
    ${R}  local.set $vm
    ;; v = f(f(v·b2) + a2·f(g·g))
    ${load("$v")}  ${at("b2")}  f64x2.mul  ${R}
    ${at("a2")}  local.get $vg  local.get $vg  f64x2.mul  ${R}  f64x2.mul  f64x2.add  ${R}
    local.set $vv
    local.get $m  local.get $vm  ${store}
    local.get $v  local.get $vv  ${store}
    ;; p = f(p + f(f(m·negStep) / f(f(f(√v) / bc2Sqrt) + eps)))
    local.get $p  local.get $vp
    local.get $vm  ${at("negStep")}  f64x2.mul  ${R}
    local.get $vv  f64x2.sqrt  ${R}  ${at("bc2Sqrt")}  f64x2.div  ${R}  ${
  at("eps")
}  f64x2.add  ${R}
    f64x2.div  ${R}  f64x2.add  ${store}
    ${
  ["$p", "$g", "$m", "$v"].map((q) => `local.get ${q}  i32.const 8  i32.add  local.set ${q}`)
    .join("\n    ")
}
    local.get $i  i32.const 2  i32.add  local.tee $i
    local.get $n  i32.lt_s  br_if 0
  end
  end
`;

/**
 * The module's bytes: `adamw(p, g, m, v, n)` and `adam(p, g, m, v, n)` (L2 decay), and the
 * memory `mem`, whose first bytes hold the step's constants.
 *
 * @returns the bytes of a WebAssembly module
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamwModuleBytes } from "./adamw_simd.ts";
 * ok(WebAssembly.validate(adamwModuleBytes()));
 * ```
 */
export function adamwModuleBytes(): Uint8Array<ArrayBuffer> {
  const fn = (name: string, l2: boolean) => ({
    name,
    params: ["p", "g", "m", "v", "n"],
    i32Locals: ["i"],
    v128Locals: ["vp", "vg", "vm", "vv"],
    source: source(l2),
  });
  return wasmModule([fn("adamw", false), fn("adam", true)]);
}

/** Elements per pass through the module's memory (four 64 KiB arrays). */
const CHUNK = 16384;

type Step = (p: number, g: number, m: number, v: number, n: number) => void;
interface Kernel {
  f64: Float64Array;
  heap: Float32Array;
  adamw: Step;
  adam: Step;
}

function instantiate(): Kernel | null {
  try {
    const bytes = adamwModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    const memory = e.mem as WebAssembly.Memory;
    const need = CONSTANT_BYTES + 4 * 4 * (CHUNK + 2);
    memory.grow(Math.ceil(Math.max(0, need - memory.buffer.byteLength) / 65536));
    return {
      f64: new Float64Array(memory.buffer),
      heap: new Float32Array(memory.buffer),
      adamw: e.adamw as Step,
      adam: e.adam as Step,
    };
  } catch {
    return null;
  }
}

const kernel = instantiate();

/** Whether {@link simdAdamw} runs here (Deno: always). */
export const adamwSimd: boolean = kernel !== null;

// Float offsets of the four chunk buffers (the kernel runs one element past an odd chunk).
const P = CONSTANT_BYTES / 4, G = P + CHUNK + 2, M = G + CHUNK + 2, V = M + CHUNK + 2;

/**
 * adamw.ts's `adamwKernel` (same arguments, same floats), in SIMD.
 *
 * @param p the parameter (from `po`)
 * @param po p's offset
 * @param g the gradient (from `go`)
 * @param go g's offset
 * @param m the first moments (from `mo`)
 * @param mo m's offset
 * @param v the second moments (from `vo`)
 * @param vo v's offset
 * @param n the number of elements
 * @param hp the step number and hyper-parameters
 * @throws {Error} when {@link adamwSimd} is false
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { simdAdamw } from "./adamw_simd.ts";
 * const p = new Float32Array([1, -1]);
 * const hp = { step: 1, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: true };
 * simdAdamw(p, 0, new Float32Array([0.5, -2]), 0, new Float32Array(2), 0, new Float32Array(2), 0, 2, hp);
 * ok(Math.abs(p[0] - 0.9) < 1e-6 && Math.abs(p[1] + 0.9) < 1e-6); // lr·sign(g) on the first step
 * ```
 */
export function simdAdamw(
  p: Float32Array,
  po: number,
  g: Float32Array,
  go: number,
  m: Float32Array,
  mo: number,
  v: Float32Array,
  vo: number,
  n: number,
  hp: AdamHyperParams,
): void {
  if (kernel === null) throw new Error("Cannot run SIMD AdamW: WebAssembly SIMD is missing");
  const { beta1, beta2, lr, weightDecay: wd } = hp;
  const l2 = !hp.decoupled && wd !== 0;
  const bc1 = 1 - beta1 ** hp.step, bc2 = 1 - beta2 ** hp.step;
  const values = {
    decay: hp.decoupled && wd !== 0 ? f(1 - lr * wd) : 1,
    l2: l2 ? f(wd) : 0,
    b1: f(beta1),
    a1: f(1 - beta1),
    b2: f(beta2),
    a2: f(1 - beta2),
    negStep: f(-(lr / bc1)),
    bc2Sqrt: f(Math.sqrt(bc2)),
    eps: f(hp.eps),
  };
  NAMES.forEach((name, i) => kernel.f64.fill(values[name], 2 * i, 2 * i + 2));
  const h = kernel.heap, step = l2 ? kernel.adam : kernel.adamw;
  for (let s = 0; s < n; s += CHUNK) {
    const c = Math.min(CHUNK, n - s);
    h.set(p.subarray(po + s, po + s + c), P);
    h.set(g.subarray(go + s, go + s + c), G);
    h.set(m.subarray(mo + s, mo + s + c), M);
    h.set(v.subarray(vo + s, vo + s + c), V);
    step(P * 4, G * 4, M * 4, V * 4, c);
    p.set(h.subarray(P, P + c), po + s);
    m.set(h.subarray(M, M + c), mo + s);
    v.set(h.subarray(V, V + c), vo + s);
  }
}
