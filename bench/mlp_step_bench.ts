/**
 * The makemore-MLP training step (batch 32, block 3, embedding 10 from a 27x10
 * table, hidden 200, tanh, cross-entropy, backward, SGD), as `deno bench` and,
 * run directly, as a steps/s printout beside bench/peers/mlp_step_torch.py:
 *
 *   deno run -A bench/mlp_step_bench.ts
 *
 * It is written as the lecture writes it: `C[X]` is `index(C, X)`, the loss is
 * the fused `F.crossEntropy`, the update is `p.add_(p.grad, {alpha: -lr})`
 * under `noGrad`.
 *
 * @module
 */

import process from "node:process";
import { F, index, noGrad, randn, type Tensor, tensor } from "../mod.ts";
import { Generator } from "../core/random/generator.ts";

const V = 27, E = 10, B = 3, H = 200, BATCH = 32, N = 20000;

/** The MLP's parameters and a fixed random data set. */
export function setup(): { step: () => Tensor } {
  const g = new Generator(2147483647);
  const Xtr = g.integers(0, V, N * B), Ytr = g.integers(0, V, N);
  const C = randn([V, E], { generator: g, requiresGrad: true });
  const W1 = noGrad(() => randn([E * B, H], { generator: g }).mul(0.2));
  const b1 = noGrad(() => randn([H], { generator: g }).mul(0.01));
  const W2 = noGrad(() => randn([H, V], { generator: g }).mul(0.01));
  const b2 = noGrad(() => randn([V], { generator: g }).mul(0));
  const params = [C, W1, b1, W2, b2];
  for (const p of params) p.requiresGrad = true;
  const xb = new Int32Array(BATCH * B), yb = new Int32Array(BATCH);
  const step = (): Tensor => {
    const ix = g.integers(0, N, BATCH);
    for (let i = 0; i < BATCH; i++) {
      for (let j = 0; j < B; j++) xb[i * B + j] = Xtr[ix[i] * B + j];
      yb[i] = Ytr[ix[i]];
    }
    const X = tensor(xb.slice(), { shape: [BATCH, B] }), Y = tensor(yb.slice());
    const emb = index(C, X); // (32, 3) indices into (27, 10) -> (32, 3, 10)
    const h = emb.view(BATCH, E * B).matmul(W1).add(b1).tanh(); // (32, 30) @ (30, 200) -> (32, 200)
    const logits = h.matmul(W2).add(b2); // (32, 200) @ (200, 27) -> (32, 27)
    const loss = F.crossEntropy(logits, Y);
    for (const p of params) p.grad = null;
    loss.backward();
    noGrad(() => {
      for (const p of params) p.add_(p.grad!, { alpha: -0.1 });
    });
    return loss;
  };
  return { step };
}

const { step } = setup();

Deno.bench(
  { name: "makemore MLP step (batch 32, hidden 200)", group: "mlp", baseline: true },
  () => {
    step();
  },
);

if (import.meta.main) {
  // Wall-clock steps/s, and steps/s by this process's CPU time (steadier on a shared machine).
  for (let i = 0; i < 500; i++) step();
  let wall = 0, cpu = 0;
  for (let r = 0; r < 5; r++) {
    const n = 2000, t0 = performance.now(), c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) step();
    const c = process.cpuUsage(c0);
    wall = Math.max(wall, n / ((performance.now() - t0) / 1000));
    cpu = Math.max(cpu, n / ((c.user + c.system) / 1e6));
  }
  console.log(
    `katagrad (deno ${Deno.version.deno}): ${wall.toFixed(0)} steps/s wall, ${
      cpu.toFixed(0)
    } steps/s by CPU time (best of 5 x 2000 steps), loss ${step().itemSync().toFixed(4)}`,
  );
}
