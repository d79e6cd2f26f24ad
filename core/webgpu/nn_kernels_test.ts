import { deepEqual } from "node:assert/strict";
import { adamwLaunch } from "../../kernels/adamw.ts";
import { crossEntropyLaunch } from "../../kernels/cross_entropy.ts";
import { adamwKernel } from "../cpu/adamw.ts";
import { crossEntropyKernel } from "../cpu/cross_entropy.ts";
import {
  embeddingBackwardCPU,
  embeddingBackwardLaunch,
  embeddingCPU,
  embeddingLaunch,
} from "../../kernels/embedding.ts";
import {
  layerNormBackwardCPU,
  layerNormBackwardLaunch,
  layerNormForwardCPU,
  layerNormForwardLaunch,
} from "../../kernels/layernorm.ts";
import { layerNormParamsBackwardLaunch } from "../../kernels/layernorm_params.ts";
import { assertClose, gpuTest, randomFloats, readFloats } from "./test_util.ts";

/** The CPU twin of the row kernel: per-row losses and the unscaled gradient. */
function crossEntropyTwin(x: Float32Array, targets: Int32Array, rows: number, cols: number) {
  const loss = new Float32Array(rows), grad = new Float32Array(rows * cols);
  const opts = { reduction: "none", ignoreIndex: -100, labelSmoothing: 0 } as const;
  crossEntropyKernel(x, rows, cols, targets, opts, loss, grad);
  return { loss, grad };
}

gpuTest(
  "cross-entropy: the row kernel's loss and gradient match the CPU twin",
  async (exec) => {
    for (const [rows, cols] of [[5, 7], [3, 300], [1, 1]] as const) {
      const x = randomFloats(rows * cols, rows + cols, -4, 4);
      x[0] = 60; // stays finite because the row max is subtracted
      const targets = Int32Array.from({ length: rows }, (_, r) => (r * 5 + 2) % cols);
      const p = {
        rows,
        cols,
        ignoreIndex: -100,
        labelSmoothing: 0,
        mean: false,
        code: 1,
        threads: 16,
      };
      const [gx, gt] = [exec.upload(x), exec.upload(targets)];
      const [gl, gg] = [exec.alloc(rows * 4), exec.alloc(rows * cols * 4)];
      exec.dispatch(crossEntropyLaunch(p), [gx, gt, gt, gl, gg, exec.errors.buffer()]);
      const loss = await readFloats(exec, gl, rows);
      const grad = await readFloats(exec, gg, rows * cols);
      [gx, gt, gl, gg].forEach((b) => exec.release(b));
      const want = crossEntropyTwin(x, targets, rows, cols);
      // float32: loss to 2e-6 relative (log of sums of exps); gradient entries to 1e-6 absolute
      assertClose(loss, want.loss, 2e-6, 2e-6, `loss ${rows}x${cols}`);
      assertClose(grad, want.grad, 1e-6, 1e-5, `grad ${rows}x${cols}`);
    }
  },
);

gpuTest(
  "layernorm: forward (y, mean, rstd) and backward (dx, dweight, dbias) match the CPU twin",
  async (exec) => {
    for (const [rows, cols] of [[6, 10], [3, 300], [1, 1]]) {
      const p = { rows, cols };
      const x = randomFloats(rows * cols, cols, -2, 3);
      const w = randomFloats(cols, 7, 0.5, 1.5);
      const b = randomFloats(cols, 8);
      const dy = randomFloats(rows * cols, 9);
      const g = [x, w, b, dy].map((a) => exec.upload(a));
      const [y, mean, rstd, dx, dw, db] = [rows * cols, rows, rows, rows * cols, cols, cols].map((
        n,
      ) => exec.alloc(n * 4));
      exec.dispatch(layerNormForwardLaunch(p), [g[0], g[1], g[2], y, mean, rstd]);
      exec.dispatch(layerNormBackwardLaunch(p), [g[3], g[0], g[1], mean, rstd, dx]);
      exec.dispatch(layerNormParamsBackwardLaunch(p), [g[3], g[0], mean, rstd, dw, db]);
      const fwd = layerNormForwardCPU(x, w, b, p);
      const bwd = layerNormBackwardCPU(dy, x, w, fwd.mean, fwd.rstd, p);
      // float32: 2e-5 relative on values of order 1 (two reductions over C)
      assertClose(await readFloats(exec, y, rows * cols), fwd.y, 1e-5, 2e-5, "y");
      assertClose(await readFloats(exec, mean, rows), fwd.mean, 1e-6, 1e-5, "mean");
      assertClose(await readFloats(exec, rstd, rows), fwd.rstd, 1e-6, 2e-5, "rstd");
      assertClose(await readFloats(exec, dx, rows * cols), bwd.dx, 1e-5, 2e-5, "dx");
      assertClose(await readFloats(exec, dw, cols), bwd.dweight, 1e-5, 2e-5, "dweight");
      assertClose(await readFloats(exec, db, cols), bwd.dbias, 1e-5, 1e-5, "dbias");
      [...g, y, mean, rstd, dx, dw, db].forEach((buf) => exec.release(buf));
    }
  },
);

gpuTest(
  "adamw: three fused steps match the CPU twin (torch's AdamW and Adam update)",
  async (exec) => {
    const n = 1000;
    for (const decoupled of [true, false]) {
      const p = randomFloats(n, 1), m = new Float32Array(n), v = new Float32Array(n);
      const [gp, gm, gv] = [exec.upload(p), exec.upload(m), exec.upload(v)];
      for (let step = 1; step <= 3; step++) {
        const grad = randomFloats(n, 10 + step);
        const gg = exec.upload(grad);
        const hp = {
          step,
          lr: 0.01,
          beta1: 0.9,
          beta2: 0.999,
          eps: 1e-8,
          weightDecay: 0.1,
          decoupled,
        };
        exec.dispatch(adamwLaunch({ n, ...hp }), [gp, gg, gm, gv]);
        adamwKernel(p, 0, grad, 0, m, 0, v, 0, n, hp);
        exec.release(gg);
      }
      // float32, three steps: 1e-6 absolute on parameters of order 1 (GPU FMA contraction)
      assertClose(await readFloats(exec, gp, n), p, 1e-6, 1e-6, `param (decoupled ${decoupled})`);
      assertClose(await readFloats(exec, gm, n), m, 1e-7, 1e-6, "exp_avg");
      assertClose(await readFloats(exec, gv, n), v, 1e-8, 1e-5, "exp_avg_sq");
      [gp, gm, gv].forEach((b) => exec.release(b));
    }
  },
);

/** Central finite difference of f at x[i] in float64 (x copied to a Float64Array view). */
function numericGrad(f: (x: Float32Array) => number, x: Float32Array, i: number, h = 1e-2): number {
  const xp = x.slice(), xm = x.slice();
  xp[i] += h;
  xm[i] -= h;
  return (f(xp) - f(xm)) / (2 * h);
}

Deno.test("CPU twins: layernorm and cross-entropy gradients agree with finite differences", () => {
  const p = { rows: 3, cols: 5 };
  const x = randomFloats(15, 1, -2, 2), w = randomFloats(5, 2, 0.5, 1.5);
  const b = randomFloats(5, 3), dy = randomFloats(15, 4);
  const lossOf = (xx: Float32Array, ww = w, bb = b) =>
    layerNormForwardCPU(xx, ww, bb, p).y.reduce((s, v, i) => s + v * dy[i], 0);
  const fwd = layerNormForwardCPU(x, w, b, p);
  const bwd = layerNormBackwardCPU(dy, x, w, fwd.mean, fwd.rstd, p);
  for (const i of [0, 7, 14]) {
    assertClose([bwd.dx[i]], [numericGrad((xx) => lossOf(xx), x, i)], 2e-3, 1e-2, `dx[${i}]`);
  }
  for (const c of [0, 4]) {
    assertClose([bwd.dweight[c]], [numericGrad((ww) => lossOf(x, ww), w, c)], 2e-3, 1e-2, "dw");
    assertClose([bwd.dbias[c]], [numericGrad((bb) => lossOf(x, w, bb), b, c)], 2e-3, 1e-2, "db");
  }
  const logits = randomFloats(12, 5, -2, 2);
  const targets = new Int32Array([1, 3, 0]);
  const ce = (xx: Float32Array) =>
    crossEntropyTwin(xx, targets, 3, 4).loss.reduce((s, v) => s + v, 0) / 3;
  const grad = crossEntropyTwin(logits, targets, 3, 4).grad.map((g) => g / 3);
  for (const i of [0, 5, 11]) {
    assertClose([grad[i]], [numericGrad(ce, logits, i)], 2e-3, 1e-2, `ce grad[${i}]`);
  }
});

gpuTest(
  "embedding: gather and scatter-add backward (repeated indices) match the CPU twin",
  async (exec) => {
    const p = { n: 40, cols: 9, vocab: 6 };
    const table = randomFloats(p.vocab * p.cols, 60);
    const indices = Int32Array.from({ length: p.n }, (_, i) => (i * 7) % 5); // row 5 never used
    const dout = randomFloats(p.n * p.cols, 61);
    const dtable0 = randomFloats(p.vocab * p.cols, 62); // accumulates into existing values
    const [gt, gi, go] = [exec.upload(table), exec.upload(indices), exec.alloc(p.n * p.cols * 4)];
    const [gd, gdt] = [exec.upload(dout), exec.upload(dtable0)];
    exec.dispatch(embeddingLaunch(p), [gt, gi, go]);
    exec.dispatch(embeddingBackwardLaunch(p), [gd, gi, gdt]);
    deepEqual([...await readFloats(exec, go, p.n * p.cols)], [...embeddingCPU(table, indices, p)]);
    const want = dtable0.slice();
    embeddingBackwardCPU(dout, indices, want, p);
    // 8 adds per element in any order: float32 rounding differs by a few ulp
    assertClose(await readFloats(exec, gdt, p.vocab * p.cols), want, 1e-6, 1e-6, "dtable");
    [gt, gi, go, gd, gdt].forEach((b) => exec.release(b));
  },
);
