/**
 * The loop budget of kernels/loop_steps.ts against the adapter, on a fallback (llvmpipe)
 * adapter only: a probe kernel shows that loops whose steps Σ (iterations + 1) add up to
 * 65,536 all finish and one step more is cut short; each row kernel, at the usual 16 threads
 * and the longest row its step formula allows, writes every output and equals its CPU twin,
 * and one element more leaves outputs unwritten (the sizes that broke before the backend kept
 * under the budget). Outputs start as NaN, so "unwritten" is exact.
 */

import { equal, ok } from "node:assert/strict";
import { type KernelLaunch, packUniforms } from "../../kernels/launch.ts";
import { LLVMPIPE_LOOP_STEPS } from "../../kernels/loop_steps.ts";
import { softmaxCPU, softmaxLaunch, softmaxLoopSteps } from "../../kernels/softmax.ts";
import {
  layerNormBackwardCPU,
  layerNormBackwardLaunch,
  layerNormBackwardLoopSteps,
  layerNormForwardCPU,
  layerNormForwardLaunch,
  layerNormForwardLoopSteps,
} from "../../kernels/layernorm.ts";
import { crossEntropyLaunch, crossEntropyLoopSteps } from "../../kernels/cross_entropy.ts";
import { crossEntropyKernel } from "../cpu/cross_entropy.ts";
import type { WebGPUExecutor } from "./executor.ts";
import { assertClose, gpuTest, randomFloats, readFloats, skipReason } from "./test_util.ts";
import { webgpuInfo } from "./device.ts";

const fallback = skipReason === null && (await webgpuInfo()).isFallbackAdapter;
const U = 2 ** -24;
const gamma = (d: number) => d * U / (1 - d * U);

function test(name: string, fn: (exec: WebGPUExecutor) => Promise<void>) {
  if (fallback) gpuTest(name, fn);
  else Deno.test({ name, ignore: true, fn() {} });
}

/** The longest length whose steps at `threads` fit the budget. */
function longest(steps: (len: number, threads: number) => number, threads: number): number {
  let lo = 1, hi = 1 << 24;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (steps(mid, threads) <= LLVMPIPE_LOOP_STEPS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Runs `launch` over `inputs`, into outputs of `sizes` floats that start as NaN. */
async function run(
  exec: WebGPUExecutor,
  launch: KernelLaunch,
  inputs: ArrayBufferView[],
  sizes: number[],
): Promise<Float32Array[]> {
  const ins = inputs.map((a) => exec.upload(a));
  const outs = sizes.map((n) => exec.upload(new Float32Array(n).fill(NaN)));
  exec.dispatch(launch, [...ins, ...outs]);
  const got = await Promise.all(outs.map((b, i) => readFloats(exec, b, sizes[i])));
  [...ins, ...outs].forEach((b) => exec.release(b));
  return got;
}

const unwritten = (a: Float32Array) => a.filter(Number.isNaN).length;

test("llvmpipe runs 65,536 loop steps per invocation: Σ (iterations + 1) over its loops", async (exec) => {
  const source = `struct Params { a: u32, b: u32, c: u32, d: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var n = 0u;
  for (var i = 0u; i < params.a; i++) { n += 1u; }
  for (var i = 0u; i < params.b; i++) { for (var w = 8u; w > 0u; w = w / 2u) { n += 1u; } }
  for (var i = 0u; i < params.c; i++) { n += 1u; }
  out[0] = n;
}`;
  const count = async (a: number, b: number, c: number) => {
    const out = exec.alloc(16);
    const fields = ["a", "b", "c", "d"].map((name) => ({ name, type: "u32" as const }));
    const uniforms = packUniforms(fields, { a, b, c, d: 0 });
    exec.dispatch({ name: "loopProbe", source, workgroups: [1, 1, 1], uniforms }, [out]);
    const n = new Uint32Array(await exec.read(out, 4))[0];
    exec.release(out);
    return n;
  };
  // steps: (a + 1) + (b + 1) + b·(4 + 1) + 1 + (c + 1): the halving loop is not unrolled, and a
  // loop holding another costs one step more
  equal(await count(65_535, 0, 0), 65_535); // one loop: 65,535 iterations
  equal(await count(30_000, 1000, 29_532), 30_000 + 4000 + 29_532); // 65,536 steps
  const cut = await count(30_000, 1000, 29_533); // 65,537
  ok(
    cut < 30_000 + 4000 + 29_533,
    "llvmpipe no longer ends loops after 65,536 steps: kernels/loop_steps.ts may relax its budget",
  );
});

test("softmax at 16 threads: 349,456 columns all written, 349,457 not", async (exec) => {
  const cols = longest(softmaxLoopSteps, 16);
  equal(cols, 349_456);
  for (const n of [cols, cols + 1]) {
    const x = randomFloats(n, 1, -3, 3);
    const p = { rows: 1, cols: n, threads: 16 };
    const [got] = await run(exec, softmaxLaunch("softmax", p), [x], [n]);
    if (n === cols + 1) ok(unwritten(got) > 0);
    else assertClose(got, softmaxCPU("softmax", x, p), 0, gamma(n / 16 + 4) + 64 * U);
  }
});

test("crossEntropy at 16 threads: 349,424 classes all written, 349,425 not", async (exec) => {
  const cols = longest(crossEntropyLoopSteps, 16);
  equal(cols, 349_424);
  for (const n of [cols, cols + 1]) {
    const x = randomFloats(n, 2, -3, 3), target = new Int32Array([7]);
    const p = { rows: 1, cols: n, ignoreIndex: -100, labelSmoothing: 0, mean: false, code: 1 };
    const launch = crossEntropyLaunch({ ...p, threads: 16 });
    const err = exec.errors.buffer();
    const ins = [exec.upload(x), exec.upload(target)];
    const [loss, grad] = [1, n].map((k) => exec.upload(new Float32Array(k).fill(NaN)));
    exec.dispatch(launch, [ins[0], ins[1], ins[1], loss, grad, err]);
    const got = await readFloats(exec, grad, n);
    [...ins, loss, grad].forEach((b) => exec.release(b));
    if (n === cols + 1) {
      ok(unwritten(got) > 0);
      continue;
    }
    const want = { loss: new Float32Array(1), grad: new Float32Array(n) };
    const opts = { reduction: "none", ignoreIndex: -100, labelSmoothing: 0 } as const;
    crossEntropyKernel(x, 1, n, target, opts, want.loss, want.grad);
    const rel = gamma(n / 16 + 4) + 64 * U;
    assertClose(got, want.grad, rel * 7 / n, rel); // p ≤ e³·6 / (n·(e³ − e⁻³))
  }
});

test("layerNorm at 16 threads: rows of 349,456 (forward) and 524,224 (dx) written, one more not", async (exec) => {
  const fwd = longest(layerNormForwardLoopSteps, 16), bwd = longest(layerNormBackwardLoopSteps, 16);
  equal(fwd, 349_456);
  equal(bwd, 524_224);
  for (const n of [fwd, fwd + 1, bwd, bwd + 1]) {
    const p = { rows: 1, cols: n, threads: 16 };
    const x = randomFloats(n, 3, -3, 3), w = randomFloats(n, 4, 0.5, 1.5);
    const b = randomFloats(n, 5), dy = randomFloats(n, 6);
    const cpu = layerNormForwardCPU(x, w, b, p);
    const g = gamma(n / 16 + 4);
    if (n === fwd || n === fwd + 1) {
      const [y] = await run(exec, layerNormForwardLaunch(p), [x, w, b], [n, 1, 1]);
      if (n === fwd + 1) ok(unwritten(y) > 0);
      else assertClose(y, cpu.y, 6 * g, 64 * U, "y");
    } else {
      const ins = [dy, x, w, cpu.mean, cpu.rstd];
      const [dx] = await run(exec, layerNormBackwardLaunch(p), ins, [n]);
      if (n === bwd + 1) ok(unwritten(dx) > 0);
      else {
        const want = layerNormBackwardCPU(dy, x, w, cpu.mean, cpu.rstd, p).dx;
        assertClose(dx, want, 10 * g, 64 * U, "dx");
      }
    }
  }
});
