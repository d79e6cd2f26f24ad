/**
 * Sizes just past where llvmpipe's loop budget (kernels/loop_steps.ts) used to end a kernel's
 * loops early: each op now equals the CPU backend, or is refused with WebGPUKernelLimitError
 * before anything is dispatched; a scatter-add whose compare-exchange loops all hit one row
 * loses nothing. Inputs are a pattern of 1,000 seeded values repeated on the
 * device (`expand(...).contiguous()`), so nothing over 4 KB is uploaded.
 *
 * Tolerances are bounds. A sum of D float32 additions of terms of one sign is off by at most
 * γ_D = D·u/(1 − D·u) of its value, u = 2⁻²⁴ (Higham §4.2). A row kernel's sums have
 * D = ⌈cols / threads⌉ + log2(threads) (a thread's serial share, then the tree); the passes of
 * a long softmax D = 4096 + ⌈cols / 4096⌉. WGSL's exp and log are within a few ulp (allowed:
 * 64u); the CPU rounds once from float64. Matmul and the LayerNorm bias gradient use small
 * integers, whose float32 sums are exact: there the GPU must equal the CPU exactly.
 */

import { equal, ok } from "node:assert/strict";
import { tensor, zeros } from "../ops/creation.ts";
import { crossEntropy, logSoftmax, softmax } from "../ops/functional.ts";
import { layerNorm } from "../ops/normalization.ts";
import type { Device } from "../dtype.ts";
import type { Tensor } from "../tensor.ts";
import { tidy } from "../memory.ts";
import { rowThreads } from "../../kernels/launch.ts";
import { loopStepBudget, rowThreadsWithin } from "../../kernels/loop_steps.ts";
import { softmaxLoopSteps } from "../../kernels/softmax.ts";
import { crossEntropyLoopSteps } from "../../kernels/cross_entropy.ts";
import { layerNormForwardLoopSteps } from "../../kernels/layernorm.ts";
import { webgpuInfo } from "./device.ts";
import { WebGPUKernelLimitError } from "./errors.ts";
import { webgpuStats } from "./init.ts";
import { assertClose, gpuTensorTest as gpu, randomFloats } from "./test_util.ts";

const U = 2 ** -24;
const P = 1000;
const gamma = (d: number) => d * U / (1 - d * U);

/** `n` elements of `base` repeated, shaped `shape`, made on `device`. */
function pattern(base: Float32Array, shape: number[], device: Device): Tensor {
  const n = shape.reduce((a, b) => a * b, 1), reps = Math.ceil(n / base.length);
  return tidy(() => {
    const all = tensor(base, { device }).reshape([1, base.length]).expand([reps, base.length]);
    return all.contiguous().reshape([reps * base.length]).slice(0, 0, n).contiguous()
      .reshape(shape);
  });
}

const made: Tensor[] = [];

/** The same values on both devices: [cpu, webgpu]; the webgpu one is freed by `release`. */
function both(base: Float32Array, shape: number[]): [Tensor, Tensor] {
  const g = pattern(base, shape, "webgpu");
  made.push(g);
  return [pattern(base, shape, "cpu"), g];
}

/** Frees the webgpu tensors `both` made, their gradients and `more`. */
function release(...more: Tensor[]) {
  for (const t of [...made.splice(0), ...more]) {
    t.grad?.dispose();
    t.dispose();
  }
}

/** Depth D of a row kernel's sums over `cols` at the threads the backend picks. */
async function rowDepth(cols: number, steps: (cols: number, t: number) => number) {
  const fallback = (await webgpuInfo()).isFallbackAdapter;
  const t = rowThreadsWithin(
    (t) => steps(cols, t),
    rowThreads(fallback),
    loopStepBudget(fallback),
  )!;
  return Math.ceil(cols / t) + Math.log2(t);
}

const X = randomFloats(P, 7, -3, 3);

gpu(
  "softmax, logSoftmax: rows of 349,457 (16 threads used to stop early) equal the CPU",
  async () => {
    const cols = 349_457;
    const [xc, xg] = both(X, [2, cols]);
    const rel = gamma(await rowDepth(cols, softmaxLoopSteps)) + 64 * U;
    assertClose(await softmax(xg, 1).data(), softmax(xc, 1).dataSync(), 0, rel, "softmax");
    const lc = logSoftmax(xc, 1).dataSync();
    assertClose(await logSoftmax(xg, 1).data(), lc, rel, 64 * U, "logSoftmax");
    release();
  },
);

gpu(
  "softmax, logSoftmax over 5,590,529 (past 256 threads' budget) run in passes, equal the CPU",
  async () => {
    const n = 5_590_529;
    const rel = gamma(4096) + gamma(Math.ceil(n / 4096)) + 64 * U;
    const [xc, xg] = both(X, [n, 2]); // along dim 0: two strided rows
    assertClose(await softmax(xg, 0).data(), softmax(xc, 0).dataSync(), 0, rel, "softmax");
    const [yc, yg] = both(X, [n]);
    const lc = logSoftmax(yc, 0).dataSync();
    assertClose(await logSoftmax(yg, 0).data(), lc, rel, 64 * U, "logSoftmax");
    release();
  },
);

gpu(
  "crossEntropy: 349,425 classes (the gradient's loop used to stop early) equals the CPU",
  async () => {
    const cols = 349_425, eps = 0.1;
    const [xc, xg] = both(X, [2, cols]);
    xc.requiresGrad = xg.requiresGrad = true;
    const t = [cols - 1, 5];
    const opts = { labelSmoothing: eps };
    const lossC = crossEntropy(xc, tensor(t, { dtype: "int32" }), opts);
    const lossG = crossEntropy(xg, tensor(t, { dtype: "int32", device: "webgpu" }), opts);
    const rel = gamma(await rowDepth(cols, crossEntropyLoopSteps)) + 64 * U;
    assertClose([await lossG.item()], [lossC.itemSync()], 0, rel, "loss");
    lossC.backward();
    lossG.backward();
    // grad = (p − target distribution) / 2, p ≤ e³ / Σ eˣ: off by at most rel·p/2 + 2u
    const pMax = Math.exp(3) / (cols * (Math.exp(3) - Math.exp(-3)) / 6);
    assertClose(await xg.grad!.data(), xc.grad!.dataSync(), rel * pMax / 2, rel, "grad");
    release(lossG);
  },
);

gpu(
  "crossEntropy: the mean over 1,048,481 rows (the count used to stop early) equals the CPU",
  async () => {
    const rows = 1_048_481;
    const [xc, xg] = both(X, [rows, 2]);
    xc.requiresGrad = xg.requiresGrad = true;
    const labels = [0, 1, -1, 1]; // every 4th row is ignored
    const [tc, tg] = [labelsOn(labels, rows, "cpu"), labelsOn(labels, rows, "webgpu")];
    const lossC = crossEntropy(xc, tc, { ignoreIndex: -1 });
    const lossG = crossEntropy(xg, tg, { ignoreIndex: -1 });
    // the row losses are summed in passes (sumRoundingDepth(1,048,481, 16) ≤ 200 additions)
    assertClose([await lossG.item()], [lossC.itemSync()], 0, gamma(200) + 64 * U, "loss");
    lossC.backward();
    lossG.backward();
    // (p − onehot) / count: the count is exact, p of two classes off by a few ulp
    assertClose(await xg.grad!.data(), xc.grad!.dataSync(), 8 * U / rows, 8 * U, "grad");
    release(lossG, tg);
  },
);

/** int32 labels repeated to `n` on `device`. */
function labelsOn(labels: number[], n: number, device: Device): Tensor {
  return tidy(() => {
    const k = labels.length, reps = Math.ceil(n / k);
    const l = tensor(labels, { dtype: "int32", device });
    return l.reshape([1, k]).expand([reps, k]).contiguous().reshape([reps * k]).slice(0, 0, n)
      .contiguous();
  });
}

/** LayerNorm with weight and bias, and the loss Σ y·c, on one device. */
function layerNormRun(x: Tensor, w: Tensor, b: Tensor, c: Tensor) {
  for (const t of [x, w, b]) t.requiresGrad = true;
  const y = layerNorm(x, [x.shape[1]], { weight: w, bias: b });
  y.mul(c).sum().backward();
  return y;
}

gpu("layerNorm: rows of 524,225 (forward and dx used to stop early) equal the CPU", async () => {
  const cols = 524_225;
  const [xc, xg] = both(X, [2, cols]);
  const [wc, wg] = both(randomFloats(P, 8, 0.5, 1.5), [cols]);
  const [bc, bg] = both(randomFloats(P, 9), [cols]);
  const [cc, cg] = both(randomFloats(P, 10), [2, cols]);
  const yc = layerNormRun(xc, wc, bc, cc), yg = layerNormRun(xg, wg, bg, cg);
  // mean and variance off by γ_D of Σ|x| and Σ(x − mean)²: y by ≤ 6γ_D (|x̂| ≤ 1.8, w ≤ 1.5),
  // dx by ≤ 10γ_D (|g| ≤ 1.5), dweight (two rows) by ≤ 10γ_D
  const g = gamma(await rowDepth(cols, layerNormForwardLoopSteps));
  assertClose(await yg.data(), yc.dataSync(), 6 * g, 64 * U, "y");
  assertClose(await xg.grad!.data(), xc.grad!.dataSync(), 10 * g, 64 * U, "dx");
  assertClose(await wg.grad!.data(), wc.grad!.dataSync(), 10 * g, 64 * U, "dweight");
  assertClose(await bg.grad!.data(), bc.grad!.dataSync(), 0, 2 * U, "dbias");
  release(yg);
});

gpu(
  "layerNorm: weight and bias gradients over 65,536 rows (used to miss the last) equal the CPU",
  async () => {
    const rows = 65_536, cols = 4;
    const [xc, xg] = both(X, [rows, cols]);
    const [wc, wg] = both(new Float32Array([0.5, 1, 1.5, 2]), [cols]);
    const [bc, bg] = both(new Float32Array([0, 1, 2, 3]), [cols]);
    const ints = Float32Array.from(randomFloats(P, 11, 1, 4), Math.floor); // 1, 2 or 3
    const [cc, cg] = both(ints, [rows, cols]);
    layerNormRun(xc, wc, bc, cc);
    layerNormRun(xg, wg, bg, cg);
    equal([...await bg.grad!.data()].join(), [...bc.grad!.dataSync()].join()); // integer sums
    // Σ c·x̂ over 16,384 rows per chunk, then 4 chunks; |c·x̂| ≤ 3·1.8 per row
    const bound = (gamma(16_384 + 4) + 64 * U) * rows * 3 * 1.8;
    assertClose(await wg.grad!.data(), wc.grad!.dataSync(), bound, 0, "dweight");
    release();
  },
);

gpu(
  "matmul: K = 262,138 (the K loop used to stop early) equals the CPU, exactly on integers",
  async () => {
    const k = 262_138;
    const ints = (seed: number) => Float32Array.from(randomFloats(P, seed, 0, 3), Math.floor);
    const [ac, ag] = both(ints(12), [3, k]);
    const [bc, bg] = both(ints(13), [k, 5]);
    equal([...await ag.matmul(bg).data()].join(), [...ac.matmul(bc).dataSync()].join());
    const [tc, tg] = both(ints(14), [k, 3]); // A given transposed: (k, 3)ᵀ
    equal([...await tg.t().matmul(bg).data()].join(), [...tc.t().matmul(bc).dataSync()].join());
    release();
  },
);

gpu(
  "index backward: 1,000,000 gradients added into one row are all there (compare-exchange loops)",
  async () => {
    // every invocation adds 1 to the same three floats: the retries of the compare-exchange
    // loop grow with the contention, not with the sizes, and none is cut short
    const w = zeros([1, 3], { device: "webgpu" });
    w.requiresGrad = true;
    const idx = zeros([1_000_000], { device: "webgpu", dtype: "int32" });
    const s = w.index(idx).sum();
    s.backward();
    equal([...await w.grad!.data()].join(), "1000000,1000000,1000000");
    release(w, idx, s);
  },
);

const refused = (op: string, what: string) => (e: unknown) => {
  ok(e instanceof WebGPUKernelLimitError && e instanceof RangeError, String(e));
  equal(e.op, op);
  equal(e.limit, 65_536);
  ok(e.steps > 65_536);
  ok(e.message.startsWith(`Cannot run ${op} on webgpu for ${what}: one shader invocation`));
  ok(e.message.endsWith('run it on the CPU (device: "cpu") or on a hardware GPU adapter'));
  return true;
};

/**
 * Expects the refusal and checks no buffer outlives it: the op frees the outputs it allocated
 * when the backend refuses, even outside `tidy`.
 */
async function expectRefused(fn: () => unknown, check: (e: unknown) => boolean) {
  const before = webgpuStats().liveBuffers;
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  ok(error !== null && check(error), `expected a refusal, got ${error}`);
  equal(webgpuStats().liveBuffers, before);
  await Promise.resolve();
}

gpu("crossEntropy over 5,589,761 classes and layerNorm over 5,590,529 are refused", async () => {
  if (!(await webgpuInfo()).isFallbackAdapter) return; // a hardware GPU has no loop budget
  const x = tensor([0], { device: "webgpu" }).expand([1, 5_589_761]).contiguous();
  const t = tensor([3], { dtype: "int32", device: "webgpu" });
  await expectRefused(
    () => crossEntropy(x, t),
    refused("crossEntropy", "5589761 classes (logits of shape (1, 5589761))"),
  );
  const y = tensor([0], { device: "webgpu" }).expand([1, 5_590_529]).contiguous();
  await expectRefused(
    () => layerNorm(y, [5_590_529]),
    refused("layerNorm", "rows of 5590529 features (x of shape (1, 5590529))"),
  );
  for (const v of [x, t, y]) v.dispose();
});
